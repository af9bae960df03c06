//! Strings interned from every render thread at once. A site's pages repeat the same links
//! (the sidebar, the breadcrumbs) and name the same paths and ids many times over, so each
//! page's record keeps numbers, and each string is kept once.
//!
//! The table is split into shards, each behind its own lock and chosen by the string's hash,
//! so threads interning at the same time rarely wait for each other (one global lock made
//! recording links cost as much as scanning them).

use std::hash::BuildHasher;
use std::sync::Mutex;

use hashbrown::{DefaultHashBuilder, HashTable, hash_table::Entry};

const SHARD_BITS: u32 = 6;
const SHARDS: usize = 1 << SHARD_BITS;

/// An interned string's number: its index in its shard, then the shard.
pub type Id = u32;

/// Interns while the pages pass; [`Interner::freeze`] gives the table for reading.
pub struct Interner {
    hasher: DefaultHashBuilder,
    shards: Box<[Mutex<Shard>]>,
}

/// The interned strings, read without locks once the pages have all passed.
pub struct Strings {
    hasher: DefaultHashBuilder,
    shards: Box<[Shard]>,
}

#[derive(Default)]
struct Shard {
    /// Indices into `strings`, hashed by the string.
    table: HashTable<u32>,
    strings: Vec<Box<str>>,
}

impl Default for Interner {
    fn default() -> Self {
        Strings::default().thaw()
    }
}

impl Default for Strings {
    fn default() -> Self {
        Strings {
            hasher: DefaultHashBuilder::default(),
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
        }
    }
}

impl Interner {
    /// The number of `text`, the same every time it is asked for.
    pub fn intern(&self, text: &str) -> Id {
        let hash = self.hasher.hash_one(text);
        let shard_index = shard_of(hash);
        let mut shard = self.shards[shard_index]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let index = shard.intern(&self.hasher, hash, text);
        index << SHARD_BITS | shard_index as u32
    }

    /// Ends interning; the strings can now be read.
    pub fn freeze(self) -> Strings {
        let shards = self
            .shards
            .into_vec()
            .into_iter()
            .map(|shard| shard.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect();
        Strings {
            hasher: self.hasher,
            shards,
        }
    }
}

impl Strings {
    /// Interning again, keeping every number given so far.
    pub fn thaw(self) -> Interner {
        let shards = self.shards.into_vec().into_iter().map(Mutex::new).collect();
        Interner {
            hasher: self.hasher,
            shards,
        }
    }

    pub fn text(&self, id: Id) -> &str {
        let shard = &self.shards[id as usize & (SHARDS - 1)];
        &shard.strings[(id >> SHARD_BITS) as usize]
    }

    /// The number of `text`, if it was interned.
    pub fn get(&self, text: &str) -> Option<Id> {
        let hash = self.hasher.hash_one(text);
        let shard_index = shard_of(hash);
        let shard = &self.shards[shard_index];
        shard
            .table
            .find(hash, |&i| &*shard.strings[i as usize] == text)
            .map(|&index| index << SHARD_BITS | shard_index as u32)
    }

    pub fn is_empty(&self) -> bool {
        self.shards.iter().all(|shard| shard.strings.is_empty())
    }
}

impl Shard {
    fn intern(&mut self, hasher: &DefaultHashBuilder, hash: u64, text: &str) -> u32 {
        let Shard { table, strings } = self;
        let entry = table.entry(
            hash,
            |&i| &*strings[i as usize] == text,
            |&i| hasher.hash_one(&*strings[i as usize]),
        );
        match entry {
            Entry::Occupied(entry) => *entry.get(),
            Entry::Vacant(entry) => {
                let index = strings.len() as u32;
                strings.push(text.into());
                entry.insert(index);
                index
            }
        }
    }
}

/// The shard a hash belongs to: its top bits, as the table inside uses the low ones.
fn shard_of(hash: u64) -> usize {
    (hash >> (64 - SHARD_BITS)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_string_gets_one_number_across_threads_and_runs() {
        let interner = Interner::default();
        let words: Vec<String> = (0..2000).map(|i| format!("page-{}", i % 700)).collect();
        let ids: Vec<Vec<Id>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| words.iter().map(|w| interner.intern(w)).collect()))
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        assert!(ids.windows(2).all(|pair| pair[0] == pair[1]));
        let strings = interner.freeze();
        for (word, &id) in words.iter().zip(&ids[0]) {
            assert_eq!(strings.text(id), word);
            assert_eq!(strings.get(word), Some(id));
        }
        assert_eq!(strings.get("page-700"), None);
        let distinct: std::collections::HashSet<Id> = ids[0].iter().copied().collect();
        assert_eq!(distinct.len(), 700);

        // A later run keeps the numbers and adds new ones.
        let interner = strings.thaw();
        assert_eq!(interner.intern("page-3"), ids[0][3]);
        let new = interner.intern("page-700");
        assert!(!distinct.contains(&new));
        assert_eq!(interner.freeze().text(new), "page-700");
    }
}
