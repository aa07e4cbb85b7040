//! Reading questionnaires of any layout and writing answers back in place.
