//! Reporting many problems at once: duplicates removed in linear time (a set, never a
//! pairwise comparison) and at most [`MAX_PROBLEMS_REPORTED`] listed, with the number left
//! out. A document with tens of thousands of mistakes costs linear work and a short answer.

use std::collections::HashSet;
use std::hash::Hash;

/// Most problems listed for one document (a method, a precedent record); the rest are counted.
pub const MAX_PROBLEMS_REPORTED: usize = 50;

/// The distinct problems in their first order, at most [`MAX_PROBLEMS_REPORTED`] of them, and
/// how many distinct problems were left out.
pub fn dedupe_and_cap<T: Eq + Hash>(problems: Vec<T>) -> (Vec<T>, usize) {
    let first: Vec<bool> = {
        let mut seen = HashSet::with_capacity(problems.len());
        problems.iter().map(|p| seen.insert(p)).collect()
    };
    let mut shown = Vec::with_capacity(problems.len().min(MAX_PROBLEMS_REPORTED));
    let mut omitted = 0;
    for (problem, first) in problems.into_iter().zip(first) {
        if !first {
            continue;
        }
        if shown.len() < MAX_PROBLEMS_REPORTED {
            shown.push(problem);
        } else {
            omitted += 1;
        }
    }
    (shown, omitted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_go_and_order_stays() {
        assert_eq!(dedupe_and_cap(vec![3, 1, 3, 2, 1]), (vec![3, 1, 2], 0));
    }

    #[test]
    fn at_most_the_cap_is_listed_and_the_rest_counted() {
        let many: Vec<usize> = (0..100_000).chain(0..100_000).collect();
        let (shown, omitted) = dedupe_and_cap(many);
        assert_eq!(shown, (0..MAX_PROBLEMS_REPORTED).collect::<Vec<_>>());
        assert_eq!(omitted, 100_000 - MAX_PROBLEMS_REPORTED);
    }
}
