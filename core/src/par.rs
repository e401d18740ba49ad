//! The one parallel map of the project: signature recovery, leaf hashing and block
//! validation are CPU-bound batches split over the machine's cores with scoped threads.

/// Below this many items a map runs on the calling thread (spawning costs more).
pub const SERIAL_BELOW: usize = 64;

/// The machine's cores (1 if unknown).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Maps `f` over `items` on every core, keeping the order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    par_map_with(cores(), SERIAL_BELOW, items, f)
}

/// Maps `f` over `items` on at most `threads` threads, keeping the order; fewer than
/// `serial_below` items are mapped on the calling thread. A panic in `f` propagates.
pub fn par_map_with<T: Sync, R: Send>(
    threads: usize,
    serial_below: usize,
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if threads <= 1 || items.len() < serial_below.max(2) {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_on_any_thread_count() {
        let v: Vec<u32> = (0..1000).collect();
        let doubled: Vec<u32> = v.iter().map(|x| x * 2).collect();
        for threads in [1, 2, 3, 7, 2000] {
            assert_eq!(par_map_with(threads, 0, &v, |x| x * 2), doubled);
        }
        assert_eq!(par_map(&v, |x| x * 2), doubled);
        assert!(par_map(&[] as &[u32], |x| *x).is_empty());
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn a_panic_propagates() {
        let v: Vec<u32> = (0..100).collect();
        par_map_with(4, 0, &v, |x| if *x == 77 { panic!("boom") } else { *x });
    }
}
