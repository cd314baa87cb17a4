//! A histogram of small whole numbers (queue depths) that is recorded without a lock.
//!
//! `prometheus_client`'s `Histogram` takes a write lock for every observation. The outgoing
//! queue depth is observed for every frame queued to every connection (ten per contribution in
//! a session of ten), from every worker thread at once, so it gets atomic counters instead:
//! one `fetch_add` per observation on the bucket it falls in, one on the sum. The count is the
//! buckets' total, read when the metric is encoded.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use prometheus_client::encoding::{EncodeMetric, MetricEncoder, NoLabelSet};
use prometheus_client::metrics::{MetricType, TypedMetric};

/// Upper bounds of the buckets (inclusive), ascending; the last bucket is `+Inf`.
#[derive(Clone, Debug)]
pub struct DepthHistogram {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    bounds: &'static [u64],
    /// One counter per bound, and one for `+Inf`.
    counts: Box<[AtomicU64]>,
    sum: AtomicU64,
}

impl DepthHistogram {
    pub fn new(bounds: &'static [u64]) -> Self {
        debug_assert!(bounds.windows(2).all(|w| w[0] < w[1]), "bounds ascend");
        let counts = (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect();
        DepthHistogram { inner: Arc::new(Inner { bounds, counts, sum: AtomicU64::new(0) }) }
    }

    pub fn observe(&self, value: u64) {
        let bucket = self.inner.bounds.partition_point(|&bound| bound < value);
        self.inner.counts[bucket].fetch_add(1, Ordering::Relaxed);
        self.inner.sum.fetch_add(value, Ordering::Relaxed);
    }

    /// Sum, count, and each bucket's own count (not cumulative: the encoder adds them up).
    fn snapshot(&self) -> (f64, u64, Vec<(f64, u64)>) {
        let buckets: Vec<(f64, u64)> = self
            .inner
            .bounds
            .iter()
            .map(|&bound| bound as f64)
            .chain([f64::MAX])
            .zip(self.inner.counts.iter().map(|c| c.load(Ordering::Relaxed)))
            .collect();
        let count = buckets.iter().map(|(_, n)| n).sum();
        (self.inner.sum.load(Ordering::Relaxed) as f64, count, buckets)
    }
}

impl TypedMetric for DepthHistogram {
    const TYPE: MetricType = MetricType::Histogram;
}

impl EncodeMetric for DepthHistogram {
    fn encode(&self, mut encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        let (sum, count, buckets) = self.snapshot();
        encoder.encode_histogram::<NoLabelSet>(sum, count, &buckets, None)
    }

    fn metric_type(&self) -> MetricType {
        Self::TYPE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_counts_in_the_first_bucket_that_holds_it() {
        let h = DepthHistogram::new(&[0, 1, 4]);
        for v in [0, 1, 2, 4, 5, 300] {
            h.observe(v);
        }
        let (sum, count, buckets) = h.snapshot();
        assert_eq!(sum, 312.0);
        assert_eq!(count, 6);
        assert_eq!(buckets, vec![(0.0, 1), (1.0, 1), (4.0, 2), (f64::MAX, 2)]);
    }

    #[test]
    fn it_encodes_as_a_prometheus_histogram_with_cumulative_buckets() {
        let h = DepthHistogram::new(&[0, 1]);
        h.observe(0);
        h.observe(3);
        let mut registry = prometheus_client::registry::Registry::default();
        registry.register("depth", "test", h);
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &registry).unwrap();
        assert!(text.contains("# TYPE depth histogram"), "{text}");
        assert!(text.contains("depth_sum 3.0"), "{text}");
        assert!(text.contains("depth_count 2"), "{text}");
        assert!(text.contains("depth_bucket{le=\"0.0\"} 1"), "{text}");
        assert!(text.contains("depth_bucket{le=\"1.0\"} 1"), "{text}");
        assert!(text.contains("depth_bucket{le=\"+Inf\"} 2"), "{text}");
    }
}
