//! Finds the functions, filters and tests a template uses, with their line,
//! so that an unsupported one is reported as `file:line: unsupported filter
//! `x`` before rendering (Tera itself only reports it at render time,
//! without a line).

/// What a template calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub kind: Kind,
    pub name: String,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Function,
    Filter,
    Test,
}

impl Kind {
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Function => "function",
            Kind::Filter => "filter",
            Kind::Test => "test",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Punct(char),
    Other,
}

const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "is",
    "if",
    "elif",
    "else",
    "for",
    "set",
    "set_global",
    "true",
    "false",
    "True",
    "False",
    "macro",
    "block",
    "extends",
    "include",
    "import",
    "as",
    "with",
    "filter",
    "super",
    "loop",
    "break",
    "continue",
    "ignore",
    "missing",
];

/// Every function, filter and test used in `source`, in order.
pub fn scan(source: &str) -> Vec<Use> {
    let mut uses = Vec::new();
    let bytes = source.as_bytes();
    let mut i = 0;
    let mut line = 1;
    let mut in_raw = false;
    while i + 1 < bytes.len() {
        let open = match &bytes[i..i + 2] {
            b"{{" => "{{",
            b"{%" => "{%",
            b"{#" => "{#",
            _ => "",
        };
        match open {
            "{{" | "{%" | "{#" => {
                let close = match open {
                    "{{" => "}}",
                    "{%" => "%}",
                    _ => "#}",
                };
                let start = i + 2;
                let end = find_close(source, start, close);
                let body = &source[start..end];
                let is_tag = open == "{%";
                let words: Vec<&str> = body
                    .trim_matches(|c: char| c == '-' || c.is_whitespace())
                    .split_whitespace()
                    .collect();
                if is_tag && words.first() == Some(&"endraw") {
                    in_raw = false;
                } else if is_tag && words.first() == Some(&"raw") {
                    in_raw = true;
                } else if open != "{#" && !in_raw {
                    scan_tag(body, line, is_tag, &mut uses);
                }
                line += source[i..end].matches('\n').count();
                i = (end + 2).min(bytes.len());
            }
            _ => {
                if bytes[i] == b'\n' {
                    line += 1;
                }
                i += 1;
            }
        }
    }
    uses
}

/// Index of the closing delimiter, skipping quoted strings.
fn find_close(source: &str, from: usize, close: &str) -> usize {
    let bytes = source.as_bytes();
    let mut i = from;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' || b == b'`' => quote = Some(b),
            None if bytes[i..].starts_with(close.as_bytes()) => return i,
            None => {}
        }
        i += 1;
    }
    bytes.len()
}

fn tokenize(body: &str, first_line: usize) -> Vec<(Tok, usize)> {
    let mut toks = Vec::new();
    let chars: Vec<char> = body.chars().collect();
    let mut line = first_line;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '\'' || c == '`' {
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\n' {
                    line += 1;
                }
                i += 1;
            }
            i += 1;
            toks.push((Tok::Other, line));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            toks.push((Tok::Ident(chars[start..i].iter().collect()), line));
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            toks.push((Tok::Other, line));
        } else {
            toks.push((Tok::Punct(c), line));
            i += 1;
        }
    }
    toks
}

fn scan_tag(body: &str, line: usize, is_tag: bool, uses: &mut Vec<Use>) {
    let toks = tokenize(body, line);
    let ident = |k: usize| match toks.get(k) {
        Some((Tok::Ident(s), _)) => Some(s.as_str()),
        _ => None,
    };
    let punct = |k: usize, c: char| matches!(toks.get(k), Some((Tok::Punct(p), _)) if *p == c);
    let mut push = |kind, name: &str, line| {
        uses.push(Use {
            kind,
            name: name.to_string(),
            line,
        })
    };
    // Skip a leading `-` whitespace-control marker.
    let first = usize::from(punct(0, '-'));
    if is_tag && ident(first) == Some("filter") {
        if let Some(name) = ident(first + 1) {
            push(Kind::Filter, name, toks[first + 1].1);
        }
    }
    if is_tag && ident(first) == Some("macro") {
        return; // a definition: its parameters are not calls
    }
    for (k, (tok, line)) in toks.iter().enumerate() {
        let Tok::Ident(name) = tok else { continue };
        let (name, line) = (name.as_str(), *line);
        let after_pipe = k > 0 && punct(k - 1, '|');
        let after_is = k > 0 && ident(k - 1) == Some("is")
            || k > 1 && ident(k - 1) == Some("not") && ident(k - 2) == Some("is");
        let after_dot_or_ns = k > 0 && (punct(k - 1, '.') || punct(k - 1, ':'));
        if after_pipe {
            push(Kind::Filter, name, line);
        } else if after_is && name != "not" {
            push(Kind::Test, name, line);
        } else if punct(k + 1, '(') && !after_dot_or_ns && !KEYWORDS.contains(&name) {
            push(Kind::Function, name, line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(src: &str) -> Vec<(Kind, String, usize)> {
        scan(src)
            .into_iter()
            .map(|u| (u.kind, u.name, u.line))
            .collect()
    }

    #[test]
    fn finds_functions_filters_tests_with_lines() {
        let src = "<p>–\n{{ x | upper | truncate(length=3) }}\n{% if a is defined and not (b) %}\n{% set d = load_data(path=\"a|b(\") %}{{ m::foo(x=1) }}{% filter lower %}{% endfilter %}\n{# nope(x) | nope #}{% raw %}{{ nope(1) }}{% endraw %}";
        assert_eq!(
            names(src),
            vec![
                (Kind::Filter, "upper".into(), 2),
                (Kind::Filter, "truncate".into(), 2),
                (Kind::Test, "defined".into(), 3),
                (Kind::Function, "load_data".into(), 4),
                (Kind::Filter, "lower".into(), 4),
            ]
        );
    }

    #[test]
    fn macro_definitions_are_not_calls() {
        assert!(names("{% macro card(x) %}{% endmacro %}").is_empty());
    }
}
