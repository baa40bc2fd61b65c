//! A small map from question id to a value, kept in insertion order: the answers and the
//! prefill are a handful of entries, where a `Vec` is smaller and faster than a `BTreeMap`
//! (and keeps the widget small).
use alloc::string::String;
use alloc::vec::Vec;

/// Values by question id; setting an id again replaces its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entries<T>(Vec<(String, T)>);

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<T> Entries<T> {
    pub(crate) fn set(&mut self, id: &str, value: T) {
        match self.0.iter_mut().find(|(key, _)| key == id) {
            Some(entry) => entry.1 = value,
            None => self.0.push((id.into(), value)),
        }
    }

    pub(crate) fn get(&self, id: &str) -> Option<&T> {
        self.0.iter().find(|(key, _)| key == id).map(|(_, value)| value)
    }

    pub(crate) fn remove(&mut self, id: &str) {
        self.0.retain(|(key, _)| key != id);
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}
