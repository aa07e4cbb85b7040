//! Data parallelism on the machine's few cores, with the standard library's
//! scoped threads (no thread pool to keep alive).
//!
//! The output is always in input order and does not depend on how the work
//! was split, so parallel and sequential runs give identical results.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Below this many items the work stays on the calling thread (a thread
/// costs some tens of microseconds to start).
const MIN_PARALLEL: usize = 2;
/// At most this many threads (the target machine class has two cores).
const MAX_THREADS: usize = 8;

/// How many threads parallel work uses here (1 when only one core is usable).
pub fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
}

/// Maps `f` over `items` on all cores, in input order.
///
/// Threads take small chunks from a shared counter rather than one fixed
/// share each: on a busy machine a thread that is descheduled for a while
/// does not leave the others waiting for its half.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads();
    if threads < 2 || items.len() < MIN_PARALLEL {
        return items.iter().map(&f).collect();
    }
    let chunk = (items.len() / (threads * 16)).clamp(1, 256);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let start = next.fetch_add(chunk, Ordering::Relaxed);
            if start >= items.len() {
                return done;
            }
            let end = (start + chunk).min(items.len());
            done.push((start, items[start..end].iter().map(&f).collect()));
        }
    };
    let mut parts: Vec<(usize, Vec<R>)> = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut parts = work();
        for h in helpers {
            parts.extend(h.join().expect("worker thread panicked"));
        }
        parts
    });
    parts.sort_unstable_by_key(|p| p.0);
    let mut out = Vec::with_capacity(items.len());
    for (_, part) in parts {
        out.extend(part);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_input_order() {
        let items: Vec<usize> = (0..10_000).collect();
        let out = super::map(&items, |&i| i * 3);
        assert_eq!(out, items.iter().map(|i| i * 3).collect::<Vec<_>>());
        assert_eq!(super::map(&items[..5], |&i| i + 1), vec![1, 2, 3, 4, 5]);
        assert!(super::map(&[] as &[u8], |&b| b).is_empty());
    }
}
