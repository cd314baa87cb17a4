//! CPU-heavy work — parsing and validating large bodies, scanning long texts, password
//! hashing — runs here: on tokio's blocking pool, never on the async workers that answer every
//! other request (`/healthz` included), and at most [`jobs`] at a time, so that parallel
//! requests cannot take every blocking thread (nor, for argon2, 19 MiB each) either. Jobs
//! beyond that wait their turn in order.

use std::sync::{Arc, OnceLock};

use tokio::sync::Semaphore;

/// How many CPU-heavy jobs run at once: one per core.
pub fn jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn permits() -> Arc<Semaphore> {
    static PERMITS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    PERMITS.get_or_init(|| Arc::new(Semaphore::new(jobs()))).clone()
}

/// Runs `job` on the blocking pool once a permit is free. The permit goes with the job, so a
/// request given up by its client still counts until its job ends.
pub async fn run<T, F>(job: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let permit = permits().acquire_owned().await.expect("the semaphore is never closed");
    let task = tokio::task::spawn_blocking(move || {
        let out = job();
        drop(permit);
        out
    });
    match task.await {
        Ok(out) => out,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn at_most_one_job_per_core_runs_at_once() {
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..4 * jobs())
            .map(|_| {
                let (running, most) = (running.clone(), most.clone());
                tokio::spawn(run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        for h in handles {
            h.await.unwrap();
        }
        assert!(most.load(Ordering::SeqCst) <= jobs());
        assert!(most.load(Ordering::SeqCst) >= 1);
    }
}
