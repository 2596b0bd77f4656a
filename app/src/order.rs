//! Ordering helpers shared by the lists that show a page of a larger set.

/// The first `keep` of `items` in the order `cmp` gives, the rest left out without being put
/// in order (a page of thousands of candidates orders only what it shows).
pub fn first_by<T>(mut items: Vec<T>, keep: usize, mut cmp: impl FnMut(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    if keep < items.len() {
        if keep == 0 {
            return Vec::new();
        }
        items.select_nth_unstable_by(keep - 1, &mut cmp);
        items.truncate(keep);
    }
    items.sort_unstable_by(cmp);
    items
}

#[cfg(test)]
mod tests {
    use super::first_by;

    #[test]
    fn the_first_few_in_order_and_all_when_fewer() {
        let items = vec![5, 3, 9, 1, 7, 2];
        assert_eq!(first_by(items.clone(), 3, |a, b| a.cmp(b)), [1, 2, 3]);
        assert_eq!(first_by(items.clone(), 0, |a, b| a.cmp(b)), Vec::<i32>::new());
        assert_eq!(first_by(items, 10, |a, b| b.cmp(a)), [9, 7, 5, 3, 2, 1]);
    }
}
