//! Findings: problems found in the project's files, each naming the file,
//! the line or row, the field and what is wrong. Shared by `vouch check`,
//! the data loaders and the answer-library loader.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Path relative to the project root, e.g. `data/controls.csv`.
    pub file: String,
    /// 1-based line (TOML, Markdown) or row (CSV: the header is row 1).
    pub line: Option<usize>,
    /// The field or column concerned, e.g. `criteria`.
    pub field: Option<String>,
    pub message: String,
}

impl Finding {
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            field: None,
            message: message.into(),
        }
    }

    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(file, message)
        }
    }

    pub fn at(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl Finding {
    /// The finding with colour (bold location, red `error`, yellow
    /// `warning`): print it through `anstream`, which drops the colour when
    /// the output is not a terminal or `NO_COLOR` is set.
    pub fn styled(&self) -> Styled<'_> {
        Styled(self)
    }
}

/// A [`Finding`] displayed with ANSI styles (see [`Finding::styled`]).
pub struct Styled<'a>(&'a Finding);

impl std::fmt::Display for Styled<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use anstyle::{AnsiColor, Style};
        let finding = self.0;
        let bold = Style::new().bold();
        write!(f, "{}{}", bold.render(), finding.file)?;
        if let Some(line) = finding.line {
            write!(f, ":{line}")?;
        }
        write!(f, "{}: ", bold.render_reset())?;
        let (word, colour) = match finding.severity {
            Severity::Error => ("error", AnsiColor::Red),
            Severity::Warning => ("warning", AnsiColor::Yellow),
        };
        let style = colour.on_default().bold();
        write!(f, "{}{word}{}: ", style.render(), style.render_reset())?;
        if let Some(field) = &finding.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", finding.message)
    }
}

/// Prints `error: MESSAGE` on stderr, `error` in red on a terminal: the
/// one format of errors that stop a command (`vouch: error: ...`).
pub fn print_error(message: &str) {
    let style = anstyle::AnsiColor::Red.on_default().bold();
    // An error that already names its file (`data/x.toml:3: error: ...`)
    // is printed as it is, so every error reads the same.
    if let Some((location, rest)) = message.split_once(": error: ") {
        if !location.contains(' ') && !location.is_empty() {
            anstream::eprintln!(
                "{location}: {}error{}: {rest}",
                style.render(),
                style.render_reset()
            );
            return;
        }
    }
    anstream::eprintln!(
        "vouch: {}error{}: {message}",
        style.render(),
        style.render_reset()
    );
}

impl std::fmt::Display for Finding {
    /// `data/controls.csv:7: error: criteria: unknown TSC criterion "CC10.1"`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {sev}: ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// The closest of `candidates` to a misspelt `word` (case-insensitive
/// Jaro-Winkler), when it is close enough to be worth suggesting:
/// `did_you_mean("visiblity", &["visibility", "title"]) == Some("visibility")`.
/// Shared by every strict loader so that "did you mean" reads the same everywhere.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&word, &c.to_lowercase()), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_the_closest_key_only_when_close() {
        let keys = ["visibility", "title", "auditor", "request_access_url"];
        assert_eq!(did_you_mean("visiblity", &keys), Some("visibility"));
        assert_eq!(did_you_mean("auditr", &keys), Some("auditor"));
        assert_eq!(
            did_you_mean("request_acess_url", &keys),
            Some("request_access_url")
        );
        assert_eq!(did_you_mean("zzz", &keys), None);
    }
}
