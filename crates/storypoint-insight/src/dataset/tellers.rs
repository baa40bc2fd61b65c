//! How much a listing may show of each story's teller: the teller facts ([`TellerFact`]),
//! the faces a teller may have (which of them are shown, [`Schema::teller_faces`]), and
//! which face each story gets ([`Dataset::teller_levels`]) so that at least k stories of
//! its campaign show exactly the same. Why this keeps tellers unrecognisable across views is
//! argued in `disclose/listing.rs`.
use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

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
    /// Faces are handed out from the fullest down: at each face, the stories not yet placed
    /// are grouped by what that face shows, and every group of at least `k` is placed there.
    /// So every story shows exactly what at least `k − 1` other stories of its campaign
    /// show, to the fact, and which face a story gets depends only on the campaign's teller
    /// facts, never on a view. (Counting every story that matches a shown combination
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
        // together (see `place`).
        let most_useful = self.schema.teller_facts().last().copied();
        let kind = |face: &Vec<TellerFact>| (face.len(), most_useful.is_some_and(|fact| face.contains(&fact)));
        let mut first = 0;
        while first < faces.len() && !unplaced.is_empty() {
            let last = (first..faces.len()).take_while(|&i| kind(&faces[i]) == kind(&faces[first])).last().unwrap_or(first);
            unplaced = self.place(k, &faces, first..=last, &mut levels, &mut roomy, unplaced);
            first = last + 1;
        }
        self.place_the_last(k, faces.len() - 1, &mut levels, unplaced, roomy);
        levels
    }

    /// What `face` shows of story `row`, with its campaign and language, as numbers.
    fn key(&self, face: &[TellerFact], row: usize) -> Vec<u64> {
        let lang = self.schema.dimension(LANG).map_or(0, |d| self.choice(row, d));
        [u64::from(self.campaigns[row]), lang].into_iter().chain(face.iter().map(|&fact| self.teller_fact(row, fact))).collect()
    }

    /// Places the `unplaced` stories that can be placed with one of the faces `tried`
    /// (indices into `faces`): the smallest group of at least `k` first, over all of them,
    /// so that stories with a rare fact show it where they can (a common fact has groups
    /// enough elsewhere). Returns the stories still unplaced.
    fn place(
        &self,
        k: u32,
        faces: &[Vec<TellerFact>],
        tried: std::ops::RangeInclusive<usize>,
        levels: &mut [u8],
        roomy: &mut Vec<Vec<usize>>,
        unplaced: Vec<usize>,
    ) -> Vec<usize> {
        struct Group {
            level: usize,
            members: Vec<usize>,
            left: u32,
            used: bool,
        }
        let mut groups: Vec<Group> = Vec::new();
        // Per face tried, the group of each unplaced story (by its place in `unplaced`).
        let mut group_of: Vec<Vec<usize>> = Vec::new();
        for level in tried {
            let mut ids: HashMap<Vec<u64>, usize> = HashMap::with_capacity(unplaced.len() / 4);
            let mut of = Vec::with_capacity(unplaced.len());
            for (at, &row) in unplaced.iter().enumerate() {
                let id = *ids.entry(self.key(&faces[level], row)).or_insert_with(|| {
                    groups.push(Group { level, members: Vec::new(), left: 0, used: false });
                    groups.len() - 1
                });
                groups[id].members.push(at);
                groups[id].left += 1;
                of.push(id);
            }
            group_of.push(of);
        }
        let mut queue: BinaryHeap<Reverse<(u32, usize)>> =
            groups.iter().enumerate().filter(|(_, g)| g.left >= k).map(|(id, g)| Reverse((g.left, id))).collect();
        let mut placed = vec![false; unplaced.len()];
        while let Some(Reverse((left, id))) = queue.pop() {
            // An old entry: the group has lost stories to another since (a newer one is queued).
            if groups[id].used || groups[id].left != left || left < k {
                continue;
            }
            groups[id].used = true;
            let members: Vec<usize> = groups[id].members.iter().copied().filter(|&at| !placed[at]).collect();
            for &at in &members {
                placed[at] = true;
                levels[unplaced[at]] = groups[id].level as u8;
                for of in &group_of {
                    let other = of[at];
                    groups[other].left -= 1;
                    if other != id && !groups[other].used && groups[other].left >= k {
                        queue.push(Reverse((groups[other].left, other)));
                    }
                }
            }
            if members.len() > k as usize {
                roomy.push(members.iter().map(|&at| unplaced[at]).collect());
            }
        }
        unplaced.into_iter().zip(placed).filter(|(_, placed)| !placed).map(|(row, _)| row).collect()
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
