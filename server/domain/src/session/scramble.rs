//! Deterministic scrambling from the session's secret seed: a keyed permutation of 64-bit
//! numbers (for contribution ids) and a seeded shuffle (for pseudonym numbers).
//!
//! Not cryptography: the goal is that clients, who never see the seed, cannot recover order or
//! identity from what they receive. Stable across Rust versions (no `std` hashers).

/// SplitMix64's finaliser: a bijective mixing of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A keyed permutation of `u64`: a six-round Feistel network on 32-bit halves whose round
/// function mixes the half with a round key taken from `key`. Distinct inputs give distinct
/// outputs for the same key.
pub(crate) fn permute64(key: u64, value: u64) -> u64 {
    let mut left = (value >> 32) as u32;
    let mut right = value as u32;
    for round in 0..6u64 {
        let round_key = mix(key ^ round.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let f = (mix(u64::from(right) ^ round_key) >> 32) as u32;
        let next = left ^ f;
        left = right;
        right = next;
    }
    (u64::from(left) << 32) | u64::from(right)
}

/// A deterministic pseudo-random stream (SplitMix64).
pub(crate) struct Stream(u64);

impl Stream {
    pub(crate) fn new(seed: u64, purpose: u64) -> Self {
        Self(mix(seed ^ mix(purpose)))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// Uniform-enough in `0..bound` (bound > 0); the bias is negligible for small bounds.
    fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }
}

/// Shuffles `items` in place (Fisher–Yates) with a stream from `seed` and `purpose`.
pub(crate) fn shuffle<T>(items: &mut [T], seed: u64, purpose: u64) {
    let mut stream = Stream::new(seed, purpose);
    for i in (1..items.len()).rev() {
        let j = stream.below(i + 1);
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn permutation_has_no_collisions_on_a_range() {
        let ids: HashSet<u64> = (0..100_000).map(|seq| permute64(42, seq)).collect();
        assert_eq!(ids.len(), 100_000);
    }

    #[test]
    fn permutation_depends_on_the_key_and_hides_order() {
        assert_ne!(permute64(1, 7), permute64(2, 7));
        let ascending = (1..50u64)
            .map(|s| permute64(9, s))
            .collect::<Vec<_>>()
            .windows(2)
            .filter(|w| w[0] < w[1])
            .count();
        assert!(ascending > 10 && ascending < 40, "{ascending}");
    }

    #[test]
    fn shuffle_is_a_deterministic_permutation() {
        let mut a: Vec<u32> = (1..=10).collect();
        let mut b = a.clone();
        shuffle(&mut a, 5, 1);
        shuffle(&mut b, 5, 1);
        assert_eq!(a, b);
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, (1..=10).collect::<Vec<_>>());
        let mut c: Vec<u32> = (1..=10).collect();
        shuffle(&mut c, 6, 1);
        assert_ne!(a, c);
    }
}
