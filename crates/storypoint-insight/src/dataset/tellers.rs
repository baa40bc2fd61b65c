//! How much a listing may show of each story's teller: the teller facts ([`TellerFact`]),
//! the faces a teller may have (which of them are shown, [`Schema::teller_faces`]), and
//! which face each story gets ([`Dataset::teller_levels`]) so that at least k stories of
//! its campaign show exactly the same. Why this keeps tellers unrecognisable across views is
//! argued in `disclose/listing.rs`.
use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::BuildHasherDefault;

use storypoint_core::contract::{AGE_GROUP, LIVING_SITUATION, ORGANISATION_TYPE, PERSPECTIVE};

use super::{Dataset, LANG, Schema};

/// The teller facts a listing leaves out first to last, after the organisation and the
/// month: from the least to the most useful for reading a story in a work session.
/// Identifying questions not named here (another questionnaire's) go before these.
const KEPT_LONGEST: &[&str] = &[LIVING_SITUATION, ORGANISATION_TYPE, AGE_GROUP, PERSPECTIVE];

/// A fact about a story's teller that a listing shows, or leaves out (see
/// [`crate::Disclosure::listing`]). The language and the campaign are not among them: the
/// story's own words give its language away, and a listing is always of one campaign's
/// stories or says which campaign each is from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TellerFact {
    /// The organisation the story is about (a link's, or typed by the teller).
    Organisation,
    /// The month the story was told.
    Month,
    /// An identifying choice question (perspective, age group, living situation,
    /// organisation type): the index of its [`Dimension`].
    Dimension(usize),
}

/// A story that may not be listed at all: even with every [`TellerFact`] left out, fewer
/// than k stories of its campaign would look alike (see [`Dataset::teller_levels`]).
pub const UNLISTED: u8 = u8::MAX;

/// Up to this many questions about the teller, every mix of them is a face (64 at most);
/// beyond, they are left out one by one in order.
const MOST_QUESTIONS_MIXED: usize = 6;

impl Schema {
    /// The teller facts a listing may show, from the least to the most useful for reading
    /// a story: the organisation, the month, identifying questions of another
    /// questionnaire, then living situation, organisation type, age group and perspective.
    pub fn teller_facts(&self) -> Vec<TellerFact> {
        let known: Vec<usize> = KEPT_LONGEST.iter().filter_map(|id| self.dimension(id)).collect();
        let others: Vec<usize> =
            (0..self.dimensions.len()).filter(|&d| self.dimensions[d].identifying && self.dimensions[d].id != LANG && !known.contains(&d)).collect();
        [TellerFact::Organisation, TellerFact::Month].into_iter().chain(others.into_iter().chain(known).map(TellerFact::Dimension)).collect()
    }

    /// The faces a listed story's teller may have, from the fullest down: every teller fact;
    /// all but the organisation; all but organisation and month; then fewer of the questions
    /// about the teller (those that keep the most useful one first, then the most facts, then
    /// the more useful ones); nothing at last. A story's level is its face's index here.
    pub fn teller_faces(&self) -> Vec<Vec<TellerFact>> {
        let facts = self.teller_facts();
        let questions = &facts[2.min(facts.len())..];
        let n = questions.len();
        let mut faces = vec![facts.clone(), facts[1.min(facts.len())..].to_vec(), questions.to_vec()];
        // Bit i of a mask keeps questions[i]; the higher the bit, the more useful.
        let mut masks: Vec<u32> =
            if n <= MOST_QUESTIONS_MIXED { (1..(1u32 << n) - 1).collect() } else { (1..n).map(|j| ((1u32 << n) - 1) & !((1u32 << j) - 1)).collect() };
        let most_useful = 1u32.checked_shl(n.saturating_sub(1) as u32).unwrap_or(0);
        masks.sort_by_key(|&m| std::cmp::Reverse((m & most_useful != 0, m.count_ones(), m)));
        faces.extend(masks.into_iter().map(|m| (0..n).filter(|i| m & (1 << i) != 0).map(|i| questions[i]).collect()));
        faces.push(Vec::new());
        faces
    }
}

impl Dataset {
    /// The value of `fact` for the story in `row`, as a number to compare.
    pub(crate) fn teller_fact(&self, row: usize, fact: TellerFact) -> u64 {
        match fact {
            TellerFact::Organisation => u64::from(self.organisations[row]),
            TellerFact::Month => u64::from(self.months[row].0),
            TellerFact::Dimension(d) => self.choice(row, d),
        }
    }

    /// For every story, the face of its teller that a listing shows: an index into
    /// [`Schema::teller_faces`] (the language and the campaign are always shown), or
    /// [`UNLISTED`].
    ///
    /// Faces are handed out from the fullest down: the stories not yet placed are grouped by
    /// what a face shows, and a group of at least `k` is placed there whole (faces that show
    /// as many facts are tried together, the smallest group first). So every story shows
    /// exactly what at least `k − 1` other stories of its campaign show, to the fact, and
    /// which face a story gets depends only on the campaign's teller facts, never on a view. (Counting every story that matches a shown combination
    /// instead, whatever it shows itself, would not do: a story shown with less than its
    /// look-alikes would stand out as the one whose full combination is rare.) Fewer than
    /// `k` stories left at the end (of one campaign and language) are joined by stories
    /// taken from groups larger than `k`, so that they can show nothing together.
    pub fn teller_levels(&self, k: u32) -> Cow<'_, [u8]> {
        let (cached, levels) = self.tellers.get_or_init(|| (k, self.compute_teller_levels(k)));
        if *cached == k { Cow::Borrowed(levels) } else { Cow::Owned(self.compute_teller_levels(k)) }
    }

    fn compute_teller_levels(&self, k: u32) -> Vec<u8> {
        let faces = self.schema.teller_faces();
        let mut levels = vec![UNLISTED; self.len()];
        // Groups placed with more than k stories, which can give some away at the end.
        let mut roomy: Vec<Vec<usize>> = Vec::new();
        let mut unplaced: Vec<usize> = (0..self.len()).collect();
        // Faces that show as many facts, and keep the most useful one alike, are tried
        // together (see `Placing::place`).
        let most_useful = self.schema.teller_facts().last().copied();
        let kind = |face: &Vec<TellerFact>| (face.len(), most_useful.is_some_and(|fact| face.contains(&fact)));
        let codes = Codes::of(self);
        let mut first = 0;
        while first < faces.len() && !unplaced.is_empty() {
            let last = (first..faces.len()).take_while(|&i| kind(&faces[i]) == kind(&faces[first])).last().unwrap_or(first);
            let mut placing = Placing { k, codes: &codes, faces: &faces, levels: &mut levels, roomy: &mut roomy };
            unplaced = placing.place(first..=last, unplaced);
            first = last + 1;
        }
        self.place_the_last(k, faces.len() - 1, &mut levels, unplaced, roomy);
        levels
    }

    /// Fewer than `k` stories of a campaign and language left without a face: stories from
    /// groups of more than `k` (of the same campaign and language) join them at the last
    /// face (nothing shown), each group keeping `k`; when there are not enough, they stay
    /// unlisted.
    fn place_the_last(&self, k: u32, last: usize, levels: &mut [u8], left: Vec<usize>, mut roomy: Vec<Vec<usize>>) {
        let lang = self.schema.dimension(LANG);
        let who = |row: usize| (self.campaigns[row], lang.map_or(0, |d| self.choice(row, d)));
        // Donors from the groups that show least (they lose least), the largest first; the
        // same whatever order the groups were found in.
        roomy.iter_mut().for_each(|rows| rows.sort_unstable());
        roomy.sort_by_key(|rows| (Reverse(rows.first().map(|&row| levels[row])), Reverse(rows.len()), rows.first().copied()));
        let mut alone: HashMap<(u32, u64), Vec<usize>> = HashMap::new();
        for row in left {
            alone.entry(who(row)).or_default().push(row);
        }
        for (group, rows) in alone {
            let missing = (k as usize).saturating_sub(rows.len());
            let mut donors = Vec::new();
            for roomy in roomy.iter_mut().filter(|rows| rows.first().is_some_and(|&row| who(row) == group)) {
                while roomy.len() > k as usize && donors.len() < missing {
                    donors.extend(roomy.pop());
                }
            }
            // Not enough: the donors keep their faces, and these stay unlisted.
            if donors.len() == missing {
                rows.iter().chain(&donors).for_each(|&row| levels[row] = last as u8);
            }
        }
    }
}

/// What placing stories at faces works with: the threshold, the stories' codes, the faces,
/// and what it finds (each story's face, the groups that can give stories away).
struct Placing<'a> {
    k: u32,
    codes: &'a Codes,
    faces: &'a [Vec<TellerFact>],
    levels: &'a mut [u8],
    roomy: &'a mut Vec<Vec<usize>>,
}

impl Placing<'_> {
    /// Places the `unplaced` stories that can be placed with one of the faces `tried`
    /// (indices into `faces`): the smallest group of at least `k` first, over all of them,
    /// so that stories with a rare fact show it where they can (a common fact has groups
    /// enough elsewhere). Returns the stories still unplaced.
    fn place(&mut self, tried: std::ops::RangeInclusive<usize>, unplaced: Vec<usize>) -> Vec<usize> {
        let Placing { k, codes, faces, levels, roomy } = self;
        let k = *k;
        // Groups of all faces tried, numbered together: each one's face, stories left, use.
        let (mut level_of, mut left, mut used): (Vec<u8>, Vec<u32>, Vec<bool>) = Default::default();
        // Per face tried, the group of each unplaced story (by its place in `unplaced`).
        let mut group_of: Vec<Vec<u32>> = Vec::new();
        for level in tried {
            let first = left.len() as u32;
            let of = codes.groups(&codes.columns(&faces[level]), &unplaced, first);
            let count = of.iter().max().map_or(0, |&last| last + 1 - first);
            level_of.extend(std::iter::repeat_n(level as u8, count as usize));
            left.extend(std::iter::repeat_n(0, count as usize));
            used.extend(std::iter::repeat_n(false, count as usize));
            of.iter().for_each(|&id| left[id as usize] += 1);
            group_of.push(of);
        }
        // Each group's stories, in one flat list (by group, then by place).
        let mut start = vec![0u32; left.len() + 1];
        group_of.iter().flatten().for_each(|&id| start[id as usize + 1] += 1);
        (1..start.len()).for_each(|i| start[i] += start[i - 1]);
        let mut filled = start.clone();
        let mut members = vec![0u32; start[left.len()] as usize];
        for of in &group_of {
            for (at, &id) in of.iter().enumerate() {
                members[filled[id as usize] as usize] = at as u32;
                filled[id as usize] += 1;
            }
        }

        let mut queue: BinaryHeap<Reverse<(u32, u32)>> =
            (0..left.len() as u32).filter(|&id| left[id as usize] >= k).map(|id| Reverse((left[id as usize], id))).collect();
        let mut placed = vec![false; unplaced.len()];
        while let Some(Reverse((was, id))) = queue.pop() {
            let g = id as usize;
            // An old entry: the group has lost stories to another since (a newer one is queued).
            if used[g] || left[g] != was || was < k {
                continue;
            }
            used[g] = true;
            let mine: Vec<usize> = members[start[g] as usize..start[g + 1] as usize].iter().map(|&at| at as usize).filter(|&at| !placed[at]).collect();
            for &at in &mine {
                placed[at] = true;
                levels[unplaced[at]] = level_of[g];
                for of in &group_of {
                    let other = of[at] as usize;
                    left[other] -= 1;
                    if other != g && !used[other] && left[other] >= k {
                        queue.push(Reverse((left[other], other as u32)));
                    }
                }
            }
            if mine.len() > k as usize {
                roomy.push(mine.iter().map(|&at| unplaced[at]).collect());
            }
        }
        unplaced.into_iter().zip(placed).filter(|(_, placed)| !placed).map(|(row, _)| row).collect()
    }
}

/// Every story's campaign, language and teller facts as small numbers (each distinct value
/// of a column numbered as first met), so that grouping stories by a face hashes one
/// number per story instead of a list.
struct Codes {
    facts: Vec<TellerFact>,
    /// `2 + facts.len()` codes per story: campaign, language, then the facts.
    codes: Vec<u32>,
    /// The bits each column's codes need.
    bits: Vec<u32>,
}

impl Codes {
    fn of(data: &Dataset) -> Codes {
        let facts = data.schema.teller_facts();
        let lang = data.schema.dimension(LANG);
        let width = 2 + facts.len();
        let mut numbering: Vec<HashMap<u64, u32, BuildHasherDefault<Mix>>> = vec![HashMap::default(); width];
        let mut codes = Vec::with_capacity(data.len() * width);
        for row in 0..data.len() {
            let values = [u64::from(data.campaigns[row]), lang.map_or(0, |d| data.choice(row, d))]
                .into_iter()
                .chain(facts.iter().map(|&fact| data.teller_fact(row, fact)));
            for (column, value) in values.enumerate() {
                let next = numbering[column].len() as u32;
                codes.push(*numbering[column].entry(value).or_insert(next));
            }
        }
        let bits = numbering.iter().map(|values| u32::BITS - (values.len() as u32).leading_zeros()).collect();
        Codes { facts, codes, bits }
    }

    /// The columns a face shows: campaign and language, then its facts.
    fn columns(&self, face: &[TellerFact]) -> Vec<usize> {
        let shown = self.facts.iter().enumerate().filter(|(_, fact)| face.contains(fact)).map(|(i, _)| 2 + i);
        [0, 1].into_iter().chain(shown).collect()
    }

    /// The group of each of `rows` by what `columns` show, numbered from `first` in the
    /// order first met.
    fn groups(&self, columns: &[usize], rows: &[usize], first: u32) -> Vec<u32> {
        let width = 2 + self.facts.len();
        let codes = |row: usize| &self.codes[row * width..(row + 1) * width];
        if columns.iter().map(|&c| self.bits[c]).sum::<u32>() <= u128::BITS {
            let packed = |row: usize| columns.iter().fold(0u128, |key, &c| (key << self.bits[c]) | u128::from(codes(row)[c]));
            number(rows.iter().map(|&row| packed(row)), first)
        } else {
            number(rows.iter().map(|&row| columns.iter().map(|&c| codes(row)[c]).collect::<Vec<u32>>()), first)
        }
    }
}

/// Numbers each distinct key from `first` in the order first met.
fn number<K: std::hash::Hash + Eq>(keys: impl Iterator<Item = K>, first: u32) -> Vec<u32> {
    let mut ids: HashMap<K, u32, BuildHasherDefault<Mix>> = HashMap::default();
    keys.map(|key| {
        let next = first + ids.len() as u32;
        *ids.entry(key).or_insert(next)
    })
    .collect()
}

/// A fast hash for the small numbers grouped here (no outside input chooses them to
/// collide: they are codes numbered by this module).
#[derive(Default)]
struct Mix(u64);

impl std::hash::Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|&b| self.write_u64(u64::from(b)));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u128(&mut self, n: u128) {
        self.write_u64(n as u64);
        self.write_u64((n >> 64) as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}
