//! Text normalisation shared by the index and the queries: Unicode NFKC, case,
//! numbering prefixes, request boilerplate, British/American spelling, stop
//! words and English stemming.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

use super::lexicon::Lexicon;

/// A word of normalised text: its surface form (lowercase, American spelling)
/// and its stem (the unit of matching). Stop words are kept in the token stream
/// with `stop = true` so that phrases ("at rest") can still be recognised.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub word: std::sync::Arc<str>,
    pub stem: std::sync::Arc<str>,
    pub stop: bool,
    /// The word negates what follows (`not`, `never`, `without` ...).
    pub negator: bool,
    /// Polarity roles of the word ([`flags`]), looked up once per distinct
    /// word: polarity checks every word of every text.
    pub flags: u8,
    /// A hash of `stem`, for comparing the words of two texts cheaply.
    pub stem_hash: u64,
    /// For a privative word ("unpatched"), the hash of its base's stem
    /// ("patch"); 0 for any other word.
    pub privative_base: u64,
}

/// The hash of a stem ([`Token::stem_hash`]); never 0.
pub fn stem_hash(stem: &str) -> u64 {
    use std::hash::BuildHasher;
    let h = std::hash::BuildHasherDefault::<super::fxhash::FxHasher>::default().hash_one(stem);
    h.max(1)
}

/// Shortest base of a privative word, in bytes ("unfed" is no "un-" +
/// "fed" worth comparing).
const MIN_PRIVATIVE_BASE: usize = 4;

/// Bits of [`Token::flags`].
pub mod flags {
    /// Negates what follows on its own ("exempt").
    pub const NEGATING_WORD: u8 = 1;
    /// Opens a relative clause ("that", "which").
    pub const RELATIVE: u8 = 2;
    /// Prohibition ("prohibited").
    pub const DENY: u8 = 4;
    /// Permission ("allowed").
    pub const PERMIT: u8 = 8;
    /// A modal opening a question of possibility ("can").
    pub const MODAL: u8 = 16;
    /// The first word of a negating pair ("free" of) or a contrast ("rather" than).
    pub const PAIR_START: u8 = 32;
    /// The first word of a temporal order ("before", "prior" to).
    pub const ORDER: u8 = 64;
    /// The first word of a bound on a quantity ("at" least, "within", "or" more).
    pub const BOUND: u8 = 128;
}

/// The polarity roles of a word (see [`flags`]).
fn word_flags(word: &str) -> u8 {
    let p = &Lexicon::get().polarity;
    let mut f = 0;
    if p.negating_words.contains(word) {
        f |= flags::NEGATING_WORD;
    }
    if p.relative.contains(word) {
        f |= flags::RELATIVE;
    }
    if p.deny_words.contains(word) {
        f |= flags::DENY;
    }
    if p.permit_words.contains(word) {
        f |= flags::PERMIT;
    }
    if p.modals.contains(word) {
        f |= flags::MODAL;
    }
    if p.negating_pairs
        .iter()
        .chain(&p.contrast)
        .any(|(a, _)| a == word)
    {
        f |= flags::PAIR_START;
    }
    if p.order_before.may_start(word) || p.order_after.may_start(word) {
        f |= flags::ORDER;
    }
    let bounds = [
        &p.bound_at_least,
        &p.bound_at_most,
        &p.bound_below,
        &p.bound_above,
        &p.bound_at_least_after,
        &p.bound_at_most_after,
    ];
    if bounds.iter().any(|list| list.may_start(word)) {
        f |= flags::BOUND;
    }
    f
}

/// Lowercases, applies NFKC and maps typographic punctuation to ASCII.
pub fn fold(text: &str) -> String {
    // ASCII is already in NFKC form: skip the (slow) normalisation.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfkc()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2010}'..='\u{2015}' => '-',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Removes answer-option hints ("(Yes/No)", "Yes / No / N/A", "[Y|N]") from
/// folded text: their "no" is not a negation and they carry no topic.
pub fn strip_answer_options(folded: &str) -> String {
    // A hint joins its options with `/` or `|`.
    if !folded.contains(['/', '|']) {
        return folded.to_string();
    }
    let mut out = String::with_capacity(folded.len());
    let mut rest = folded;
    while let Some((start, end)) = find_option_run(rest) {
        out.push_str(&rest[..start]);
        out.push(' ');
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The answer-option hints of folded text ("yes/no", "y | n").
pub fn answer_option_hints(folded: &str) -> Vec<&str> {
    let mut out = Vec::new();
    if !folded.contains(['/', '|']) {
        return out;
    }
    let mut offset = 0;
    while let Some((start, end)) = find_option_run(&folded[offset..]) {
        out.push(&folded[offset + start..offset + end]);
        offset += end;
    }
    out
}

/// The byte span of the first run of two or more option words joined by
/// `/` or `|` (with any enclosing brackets), if any.
fn find_option_run(text: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Option words are ASCII: only ASCII letters can start one (and a
        // byte inside a multi-byte character is no place to slice).
        let at_word_start =
            b[i].is_ascii_alphabetic() && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        if at_word_start {
            if let Some(end) = option_run_end(text, i) {
                let start = if i > 0 && matches!(b[i - 1], b'(' | b'[') {
                    i - 1
                } else {
                    i
                };
                let end = if matches!(b.get(end), Some(b')' | b']')) {
                    end + 1
                } else {
                    end
                };
                return Some((start, end));
            }
        }
        i += 1;
    }
    None
}

/// Where a run of option words starting at `i` ends, if it has at least two.
fn option_run_end(text: &str, mut i: usize) -> Option<usize> {
    let mut count = 0;
    let mut end = i;
    loop {
        let word = Lexicon::get()
            .words
            .answer_options
            .iter()
            .filter(|w| text[i..].starts_with(w.as_str()))
            .max_by_key(|w| w.len())?;
        let after = i + word.len();
        if text[after..].starts_with(|c: char| c.is_alphanumeric()) {
            break;
        }
        count += 1;
        end = after;
        let sep = text[after..].trim_start_matches(' ');
        match sep.strip_prefix(['/', '|']) {
            Some(next) => i = text.len() - next.trim_start_matches(' ').len(),
            None => break,
        }
        if i >= text.len() {
            break;
        }
    }
    (count >= 2).then_some(end)
}

/// Rewrites third-person references to the respondent in folded text.
pub fn second_person(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    let mut rest = folded;
    while let Some(pos) = rest.find("the ") {
        let at_word_start = pos == 0 || !rest.as_bytes()[pos - 1].is_ascii_alphanumeric();
        let after = &rest[pos + 4..];
        let name = Lexicon::get()
            .respondent
            .names
            .iter()
            .find(|n| after.starts_with(n.as_str()))
            .filter(|_| at_word_start);
        let Some(name) = name else {
            out.push_str(&rest[..pos + 4]);
            rest = after;
            continue;
        };
        let tail = &after[name.len()..];
        out.push_str(&rest[..pos]);
        if let Some(t) = tail.strip_prefix("'s") {
            out.push_str("your");
            rest = t;
        } else if tail.is_empty() || tail.starts_with(|c: char| !c.is_alphanumeric()) {
            out.push_str("you");
            rest = tail;
        } else {
            out.push_str(&rest[pos..pos + 4]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Removes a customer reference number at the start: `4.2.1`, `C.4 -`, `Q17)`,
/// `AM-1.`, `BCM-01:`, `VM-2`, `(a)`, `1)`.
pub fn strip_numbering(text: &str) -> &str {
    let t = text.trim_start();
    let first_len = t.find(char::is_whitespace).unwrap_or(t.len());
    let first = &t[..first_len];
    let core = first.trim_end_matches([')', '.', ':', '-']);
    let core = core.trim_start_matches('(');
    if is_reference(core) && first_len < t.len() {
        let rest = t[first_len..].trim_start();
        return rest.trim_start_matches(['-', ':', ')', '–']).trim_start();
    }
    t
}

/// `4.2.1`, `c.4`, `q17`, `am-1`, `bcm-01`, `a`: letters (at most 4, in
/// uppercase or a single letter) then digits, joined by `.`/`-`, or digits alone.
fn is_reference(s: &str) -> bool {
    if s.is_empty() || s.len() > 12 {
        return false;
    }
    let has_digit = s.chars().any(|c| c.is_ascii_digit());
    let letters = s.chars().take_while(|c| c.is_ascii_alphabetic()).count();
    let rest = &s[letters..];
    // Digits joined by `.`/`-` (the first character after the letters is
    // one of those too, so `all` covers it).
    let rest_ok = rest
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    let upper_prefix = s[..letters].chars().all(|c| c.is_ascii_uppercase()) || letters <= 1;
    has_digit && letters <= 4 && rest_ok && upper_prefix
}

/// Removes leading request boilerplate from one sentence (folded text).
pub fn strip_boilerplate(sentence: &str) -> String {
    let mut s = sentence.trim_start();
    for phrase in &Lexicon::get().respondent.boilerplate {
        if let Some(rest) = s.strip_prefix(phrase.as_str()) {
            if rest.is_empty() || rest.starts_with(|c: char| !c.is_alphanumeric()) {
                s = rest.trim_start_matches([' ', ',', ':']);
                break;
            }
        }
    }
    s.to_string()
}

/// Words that carry no topic (`lexicon/words.toml`).
pub fn is_stop(word: &str) -> bool {
    Lexicon::get().is_stop(word)
}

/// American spelling of a lowercase word.
pub fn americanize(word: &str) -> String {
    let lex = &Lexicon::get().words;
    if let Some(us) = lex.spelling.get(word) {
        return us.clone();
    }
    for ow in &lex.our_words {
        if let Some(rest) = word.strip_prefix(ow) {
            let base = &ow[..ow.len() - 2];
            return format!("{base}r{rest}");
        }
    }
    if let Some(stem) = word.strip_suffix("isation") {
        return format!("{stem}ization");
    }
    if let Some(stem) = word.strip_suffix("isations") {
        return format!("{stem}izations");
    }
    for (uk, us) in [
        ("ise", "ize"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("ising", "izing"),
        ("iser", "izer"),
        ("isers", "izers"),
    ] {
        if let Some(stem) = word.strip_suffix(uk) {
            let base = format!("{stem}ise");
            if stem.len() >= 3
                && !lex
                    .ise_keep
                    .iter()
                    .any(|k| base == *k || (k.len() >= 7 && base.ends_with(k.as_str())))
            {
                return format!("{stem}{us}");
            }
        }
    }
    word.to_string()
}

/// Splits folded text into raw words: letters/digits, keeping inner `.` in
/// numbers (`1.2`), inner apostrophes (`don't`) and inner `&` (`r&d`).
/// Returns slices of `text` (no allocation per word: this runs on every
/// library field and every question).
pub fn words(text: &str) -> Vec<&str> {
    if text.is_ascii() {
        return ascii_words(text);
    }
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let joiner = match c {
            '.' => {
                prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit())
            }
            '\'' | '&' => {
                prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric)
            }
            _ => false,
        };
        if c.is_alphanumeric() || (joiner && start.is_some()) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(&text[s..i]);
        }
        prev = Some(c);
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// [`words`] for ASCII text (nearly every questionnaire): bytes, not chars.
fn ascii_words(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 5);
    let mut start: Option<usize> = None;
    for (i, &c) in b.iter().enumerate() {
        let joiner = i > 0
            && start.is_some()
            && match c {
                b'.' => b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit),
                b'\'' | b'&' => {
                    b[i - 1].is_ascii_alphanumeric()
                        && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
                }
                _ => false,
            };
        if c.is_ascii_alphanumeric() || joiner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(&text[s..i]);
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// The tokenizer: one per matcher, it owns the stemmer and a cache of
/// normalised words (questionnaires repeat their vocabulary a lot).
pub struct Normalizer {
    stemmer: Stemmer,
    cache: std::sync::RwLock<super::fxhash::FxMap<String, Token>>,
}

/// Words cached at most (bounds memory on huge inputs).
const CACHE_LIMIT: usize = 200_000;

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer {
            stemmer: Stemmer::create(Algorithm::English),
            cache: Default::default(),
        }
    }
}

impl Normalizer {
    /// Tokens of a folded, boilerplate-free piece of text.
    pub fn tokens(&self, folded: &str) -> Vec<Token> {
        let words = words(folded);
        // Matching threads share the cache: most words are found under a
        // read lock, which they can hold together. The usual case, every
        // word cached, is one pass into the output.
        let mut out: Vec<Token> = Vec::with_capacity(words.len());
        let rest: Vec<Option<Token>> = {
            let cache = self.cache.read().unwrap_or_else(|e| e.into_inner());
            for w in &words {
                match cache.get(*w) {
                    Some(t) => out.push(t.clone()),
                    None => break,
                }
            }
            if out.len() == words.len() {
                return out;
            }
            words[out.len()..]
                .iter()
                .map(|w| cache.get(*w).cloned())
                .collect()
        };
        // New words are normalised, and their keys allocated, outside the
        // lock; the write lock then only inserts them (other threads wait
        // for it, so it is held briefly).
        let done = out.len();
        let mut new: Vec<(String, Token)> = Vec::new();
        for (t, w) in rest.into_iter().zip(&words[done..]) {
            let t = t.unwrap_or_else(|| {
                let t = self.token(w);
                new.push((w.to_string(), t.clone()));
                t
            });
            out.push(t);
        }
        let mut cache = self.cache.write().unwrap_or_else(|e| e.into_inner());
        for (w, t) in new {
            if cache.len() < CACHE_LIMIT && !cache.contains_key(&w) {
                cache.insert(w, t);
            }
        }
        out
    }

    /// One word, normalised (not cached).
    fn token(&self, w: &str) -> Token {
        let word = americanize(w);
        let stop = is_stop(&word);
        let stem = self.stem(&word);
        Token {
            negator: Lexicon::get().is_negator(&word),
            flags: word_flags(&word),
            stem_hash: stem_hash(&stem),
            privative_base: self.privative_base(&word),
            word: word.into(),
            stem: stem.into(),
            stop,
        }
    }

    /// "unpatched" is "patched" negated: the hash of the base's stem, for
    /// participles and adjectives of ability only. Whether "un-" is a
    /// prefix at all is settled by comparing: only a base the other text
    /// uses counts ([`super::polarity`]).
    fn privative_base(&self, word: &str) -> u64 {
        privative_base_word(word).map_or(0, |base| stem_hash(&self.stem(base)))
    }

    pub fn stem(&self, word: &str) -> String {
        if word.chars().any(|c| c.is_ascii_digit()) {
            return word.to_string();
        }
        self.stemmer.stem(word).into_owned()
    }
}

/// The base of a privative word ("tested" for "untested"): only participles
/// and adjectives of ability ("untested", "unreadable") count, so "unique",
/// "understand" or "universal" have none. The one definition of an "un-"
/// word for the whole matcher.
pub fn privative_base_word(word: &str) -> Option<&str> {
    let is_property = ["ed", "able", "ible"].iter().any(|end| word.ends_with(end));
    word.strip_prefix("un").filter(|base| {
        is_property
            && base.len() >= MIN_PRIVATIVE_BASE
            && base.bytes().all(|b| b.is_ascii_lowercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_reference_numbers() {
        assert_eq!(
            strip_numbering("4.2.1 Describe your policy"),
            "Describe your policy"
        );
        assert_eq!(
            strip_numbering("C.4 - Is data encrypted?"),
            "Is data encrypted?"
        );
        assert_eq!(strip_numbering("Q17) What is it?"), "What is it?");
        assert_eq!(strip_numbering("AM-1. Do you keep"), "Do you keep");
        assert_eq!(strip_numbering("BCM-01: Do you have"), "Do you have");
        assert_eq!(strip_numbering("VM-2 Do you have"), "Do you have");
        assert_eq!(strip_numbering("Is MFA used?"), "Is MFA used?");
        assert_eq!(strip_numbering("SOC 2 report?"), "SOC 2 report?");
        assert_eq!(strip_numbering("24x7 SOC coverage?"), "24x7 SOC coverage?");
    }

    #[test]
    fn strips_answer_option_hints() {
        assert_eq!(
            strip_answer_options("is mfa enforced? (yes/no/n/a)").trim(),
            "is mfa enforced?"
        );
        assert_eq!(
            strip_answer_options("select yes | no | partial: is data encrypted?"),
            "select  : is data encrypted?"
        );
        // A lone "no" or words that merely start like an option stay.
        assert_eq!(
            strip_answer_options("no shared accounts?"),
            "no shared accounts?"
        );
        assert_eq!(strip_answer_options("yesterday/nanny"), "yesterday/nanny");
        // Non-ASCII text around and inside words.
        assert_eq!(
            strip_answer_options("données chiffrées ? (yes/no) é/ü").trim_end(),
            "données chiffrées ?   é/ü"
        );
    }

    #[test]
    fn third_person_respondent_becomes_second_person() {
        assert_eq!(
            second_person("does the supplier encrypt the supplier's backups?"),
            "does you encrypt your backups?"
        );
        assert_eq!(
            second_person("does the supplier assess its suppliers and the vendors they use?"),
            "does you assess its suppliers and the vendors they use?"
        );
        assert_eq!(
            second_person("is the providers list public?"),
            "is the providers list public?"
        );
    }

    #[test]
    fn strips_boilerplate() {
        assert_eq!(
            strip_boilerplate("please confirm whether data is encrypted"),
            "data is encrypted"
        );
        assert_eq!(
            strip_boilerplate("describe your leaver process"),
            "your leaver process"
        );
        assert_eq!(
            strip_boilerplate("does the supplier encrypt data"),
            "encrypt data"
        );
        assert_eq!(strip_boilerplate("detailed logs"), "detailed logs");
    }

    #[test]
    fn british_spelling_becomes_american() {
        assert_eq!(americanize("organisation"), "organization");
        assert_eq!(americanize("authorised"), "authorized");
        assert_eq!(americanize("behaviour"), "behavior");
        assert_eq!(americanize("licence"), "license");
        assert_eq!(americanize("exercise"), "exercise");
        assert_eq!(americanize("enterprise"), "enterprise");
        assert_eq!(americanize("analyse"), "analyze");
    }

    #[test]
    fn ascii_and_unicode_word_splitting_agree() {
        let texts = [
            "tls 1.2+ on e-mail.",
            "don't r&d 'quoted' a''b 1..2 .5 x. 3.4.5 it's&",
            "SOC 2 (Type II) report; ISO/IEC 27001:2022? yes/no",
        ];
        for t in texts {
            // A trailing non-ASCII character forces the char path.
            let unicode = format!("{t} \u{e9}");
            let mut via_chars = words(&unicode);
            via_chars.pop();
            assert_eq!(words(t), via_chars, "{t}");
        }
    }

    #[test]
    fn words_keep_versions() {
        assert_eq!(
            words("tls 1.2+ on e-mail."),
            vec!["tls", "1.2", "on", "e", "mail"]
        );
    }
}
