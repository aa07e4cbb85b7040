//! A panic inside a third-party parser, turned into an error.
//!
//! calamine's legacy-XLS (CFB) reader asserts and slices on what the file
//! says (found by `fuzz/read_text`): a malformed file from a stranger must
//! end in a one-line error naming it, not in a panic. [`contained`] runs
//! such a parser with its panics caught and kept quiet (the default hook
//! would print a panic message and a backtrace hint on stderr).

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while [`contained`] runs on this thread.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// The message of the last quiet panic.
    static MESSAGE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Installs, once, a panic hook that records panics of [`contained`] code
/// and hands every other panic to the hook installed before.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let text = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown failure".to_owned());
                let place = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                MESSAGE.with(|m| *m.borrow_mut() = format!("{text}{place}").replace('\n', " "));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic inside it becomes `Err` with its message on one line.
pub fn contained<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    let was = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|_| MESSAGE.with(|m| std::mem::take(&mut *m.borrow_mut())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_the_thread_goes_on() {
        assert_eq!(contained(|| 2 + 2), Ok(4));
        let err = contained(|| -> u8 { panic!("bad\ninput") }).unwrap_err();
        assert!(err.starts_with("bad input at "), "{err}");
        assert_eq!(contained(|| "fine"), Ok("fine"));
    }
}
