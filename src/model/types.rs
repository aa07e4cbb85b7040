//! The small closed vocabularies of the data files (visibility, status,
//! frequency, report and document kinds), each spelled exactly as in
//! `docs/data-format.md`.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// Declares a string-valued enum: `as_str`, `Display`, `FromStr` (with an
/// error naming the accepted values), `Serialize` as the string, `ALL`.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $name {
            /// Every value, in the documented order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The spelling used in data files and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text ),+ }
            }

            /// `a, b, c`: the accepted spellings, for error messages.
            pub fn expected() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $( $text => Ok($name::$variant), )+
                    _ => Err(format!("invalid value {s:?} (expected one of: {})", Self::expected())),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// Where an item may appear (`visibility` in CSV files, `access` in TOML).
    Visibility {
        /// On the public site and in customer-facing outputs.
        Public = "public",
        /// Only listed (title, date) with a "Request access" action.
        Nda = "nda",
        /// Only listed, like `nda`, available on request.
        Request = "request",
        /// Never leaves the repository.
        Internal = "internal",
    }
}

/// `access` of reports and documents: the same values as [`Visibility`].
pub type Access = Visibility;

impl Visibility {
    /// Published in full (file, details) on the site and in customer outputs.
    pub fn is_public(self) -> bool {
        self == Visibility::Public
    }

    /// May appear on the site at least as a listing (public, nda, request).
    pub fn is_listed(self) -> bool {
        self != Visibility::Internal
    }

    /// Listed but gated behind a "Request access" action (nda, request).
    pub fn is_gated(self) -> bool {
        matches!(self, Visibility::Nda | Visibility::Request)
    }

    /// Never leaves the repository.
    pub fn is_internal(self) -> bool {
        self == Visibility::Internal
    }
}

string_enum! {
    /// `status` of a control.
    Status {
        Implemented = "implemented",
        InProgress = "in-progress",
        Planned = "planned",
    }
}

impl Status {
    pub fn is_implemented(self) -> bool {
        self == Status::Implemented
    }
}

string_enum! {
    /// `frequency` of a control.
    Frequency {
        Continuous = "continuous",
        Daily = "daily",
        Weekly = "weekly",
        Monthly = "monthly",
        Quarterly = "quarterly",
        SemiAnnual = "semi-annual",
        Annual = "annual",
        OnEvent = "on-event",
    }
}

string_enum! {
    /// `kind` of a report.
    ReportKind {
        Soc2Type1 = "soc2-type1",
        Soc2Type2 = "soc2-type2",
        Soc3 = "soc3",
        Iso27001 = "iso27001",
        Pentest = "pentest",
        BridgeLetter = "bridge-letter",
        Other = "other",
    }
}

impl ReportKind {
    /// A SOC 2 report (type 1 or type 2).
    pub fn is_soc2(self) -> bool {
        matches!(self, ReportKind::Soc2Type1 | ReportKind::Soc2Type2)
    }

    /// A human label, e.g. `SOC 2 Type II`.
    pub fn label(self) -> &'static str {
        match self {
            ReportKind::Soc2Type1 => "SOC 2 Type I",
            ReportKind::Soc2Type2 => "SOC 2 Type II",
            ReportKind::Soc3 => "SOC 3",
            ReportKind::Iso27001 => "ISO/IEC 27001",
            ReportKind::Pentest => "Penetration test",
            ReportKind::BridgeLetter => "Bridge letter",
            ReportKind::Other => "Other",
        }
    }
}

string_enum! {
    /// `kind` of a document.
    DocumentKind {
        Policy = "policy",
        Whitepaper = "whitepaper",
        Certificate = "certificate",
        Legal = "legal",
        Other = "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_spellings() {
        for v in ReportKind::ALL {
            assert_eq!(v.as_str().parse::<ReportKind>(), Ok(*v));
        }
        assert_eq!("semi-annual".parse(), Ok(Frequency::SemiAnnual));
        assert!("Public".parse::<Visibility>().is_err());
        assert_eq!(
            serde_json::to_string(&Status::InProgress).unwrap(),
            "\"in-progress\""
        );
    }

    #[test]
    fn visibility_helpers() {
        assert!(Visibility::Public.is_public() && Visibility::Public.is_listed());
        assert!(Visibility::Nda.is_listed() && !Visibility::Nda.is_public());
        assert!(!Visibility::Internal.is_listed());
    }
}
