//! Reporting lines form a tree (a forest, when an organisation has several top people).
//! These rules keep it one: nobody reports to themselves, directly or through others.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// Would making `person` report to `new_manager` close a loop? `manager_chain` is the chain
/// of managers above `new_manager` (its manager, that one's manager, …) as stored now.
pub fn would_create_cycle<Id: PartialEq>(person: &Id, new_manager: &Id, manager_chain: &[Id]) -> bool {
    person == new_manager || manager_chain.iter().any(|m| m == person)
}

/// Finds one loop in a whole set of reporting lines (`person → manager`), if there is any.
/// Returned in order, starting from the person whose line closes it, for the error message.
pub fn find_cycle<Id: Eq + Hash + Clone + Ord>(manager_of: &HashMap<Id, Id>) -> Option<Vec<Id>> {
    let mut done: HashSet<Id> = HashSet::new();
    // Iterate in a stable order so that the same input always reports the same loop.
    let mut starts: Vec<&Id> = manager_of.keys().collect();
    starts.sort();
    for start in starts {
        if done.contains(start) {
            continue;
        }
        let mut path: Vec<Id> = Vec::new();
        let mut on_path: HashSet<Id> = HashSet::new();
        let mut cur = start.clone();
        loop {
            if done.contains(&cur) {
                break;
            }
            if on_path.contains(&cur) {
                let from = path.iter().position(|p| *p == cur).unwrap_or(0);
                return Some(path[from..].to_vec());
            }
            on_path.insert(cur.clone());
            path.push(cur.clone());
            match manager_of.get(&cur) {
                Some(m) => cur = m.clone(),
                None => break,
            }
        }
        done.extend(path);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reporting_to_yourself_is_a_cycle() {
        assert!(would_create_cycle(&1, &1, &[]));
    }

    #[test]
    fn reporting_to_someone_below_you_is_a_cycle() {
        // 3 reports to 2, 2 reports to 1. Making 1 report to 3 closes the loop.
        assert!(would_create_cycle(&1, &3, &[2, 1]));
        assert!(!would_create_cycle(&3, &1, &[]));
    }

    #[test]
    fn find_cycle_names_the_people_in_the_loop() {
        let m: HashMap<&str, &str> = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")].into_iter().collect();
        let cycle = find_cycle(&m).unwrap();
        assert_eq!(cycle.len(), 3);
        for p in ["a", "b", "c"] {
            assert!(cycle.contains(&p));
        }
        let tree: HashMap<&str, &str> = [("b", "a"), ("c", "a"), ("d", "b")].into_iter().collect();
        assert_eq!(find_cycle(&tree), None);
    }

    proptest! {
        /// A forest built by only ever pointing at earlier people has no loop; adding one edge
        /// from an ancestor back down to its descendant always makes one.
        #[test]
        fn forests_have_no_cycles_and_back_edges_make_one(parents in prop::collection::vec(any::<prop::sample::Index>(), 1..60)) {
            let mut m: HashMap<usize, usize> = HashMap::new();
            for (i, p) in parents.iter().enumerate() {
                let child = i + 1;
                m.insert(child, p.index(child)); // a parent with a lower number
            }
            prop_assert_eq!(find_cycle(&m), None);
            // Point the root (0) at the deepest child: its chain reaches 0, so it is a loop.
            let leaf = parents.len();
            let mut chain = vec![];
            let mut cur = leaf;
            while let Some(&p) = m.get(&cur) { chain.push(p); cur = p; }
            prop_assert!(would_create_cycle(&0usize, &leaf, &chain));
            m.insert(0, leaf);
            prop_assert!(find_cycle(&m).is_some());
        }
    }
}
