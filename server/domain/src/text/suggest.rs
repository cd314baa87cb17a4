//! Spelling suggestions: how far one word is from another, bounded, so an engine can offer
//! the closest words of its own vocabulary for a query word that occurs nowhere.

/// Largest edit distance a suggestion may have.
pub const MAX_SUGGESTION_DISTANCE: usize = 2;

/// The optimal-string-alignment distance between `a` and `b` (insertions, deletions,
/// substitutions and swaps of two neighbouring chars each cost 1), or `None` when it is above
/// `max`. Stops early: work is about `len × (2·max + 1)`.
pub fn edit_distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let big = max + 1;
    let (n, m) = (a.len(), b.len());
    let mut prev2 = vec![big; m + 1];
    let mut prev: Vec<usize> = (0..=m).map(|j| j.min(big)).collect();
    for i in 1..=n {
        let mut cur = vec![big; m + 1];
        cur[0] = i.min(big);
        let lo = i.saturating_sub(max).max(1);
        let hi = (i + max).min(m);
        let mut row_min = cur[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d.min(big);
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return None;
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    (prev[m] <= max).then_some(prev[m])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance_within("boete", "boete", 2), Some(0));
        assert_eq!(edit_distance_within("bote", "boete", 2), Some(1));
        assert_eq!(edit_distance_within("kostendelersnrom", "kostendelersnorm", 2), Some(1));
        assert_eq!(edit_distance_within("mantlzorg", "mantelzorg", 2), Some(1));
        assert_eq!(edit_distance_within("abc", "xyz", 2), None);
        assert_eq!(edit_distance_within("verlaging", "verl", 2), None);
        assert_eq!(edit_distance_within("", "ab", 2), Some(2));
    }
}
