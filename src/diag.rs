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
