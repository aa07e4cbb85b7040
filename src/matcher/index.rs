//! BM25F over the library: an entry's question and variants are the main
//! field; topic and tags, and the comment, count with lower weights.

use std::collections::HashMap;

use super::fxhash::FxMap;

use std::collections::BTreeSet;
use std::sync::Arc;

use super::analyze::{Analysis, Analyzer, Polarity};
use crate::library::Library;

/// Below this idf (a term in over ~2/3 of the entries) a term is skipped
/// when accumulating BM25 on large libraries.
const COMMON_IDF: f64 = 0.4;

/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Field weights: question + variants, topic + tags, comment.
const FIELD_WEIGHTS: [f64; 3] = [1.0, 0.5, 0.3];

/// Per-entry data kept for re-ranking.
#[derive(Debug, Clone, Default)]
pub struct DocInfo {
    /// Term ids of the main field, sorted.
    pub main_terms: Vec<u32>,
    /// Term ids of topic/tags and comment, sorted.
    pub side_terms: Vec<u32>,
    /// Concepts of the entry's question (for agreement and polarity).
    pub concepts: BTreeSet<Arc<str>>,
    /// Polarity of the entry's question.
    pub polarity: Polarity,
    /// Name + number identifiers of the question and variants (SOC 2).
    pub identifiers: Vec<(String, String)>,
    /// Named frameworks (SOC 2, HIPAA ...) of the question and variants.
    pub frameworks_named: Vec<Arc<str>>,
    /// Named frameworks anywhere in the entry (comment and tags too).
    pub frameworks_mentioned: Vec<Arc<str>>,
    /// Per phrasing: its term ids (sorted) and character bigrams (sorted).
    pub phrasing_terms: Vec<Vec<u32>>,
    pub phrasing_bigrams: Vec<Vec<u32>>,
}

pub struct Index {
    pub terms: FxMap<String, u32>,
    pub idf: Vec<f64>,
    /// term id -> (doc, normalised weighted tf).
    postings: Vec<Vec<(u32, f32)>>,
    pub docs: Vec<DocInfo>,
    /// Word stems by their first two characters, for typo correction.
    vocab_by_initial: HashMap<(char, char), Vec<VocabWord>>,
    pub term_names: Vec<String>,
    pub max_idf: f64,
}

impl Index {
    pub fn build(lib: &Library, analyzer: &Analyzer) -> Index {
        // Analysing the texts is most of the work and needs no shared state:
        // it runs on all cores, a batch of entries at a time (to bound the
        // memory the analyses hold), and so does counting each entry's terms
        // by their entry-local number. Term ids are then given out in entry
        // order, as a sequential build would: only each entry's distinct
        // terms are looked up, in the order the entry first uses them, on a
        // thread of its own while the next batch is analysed.
        let (docs, fields, vocab) = std::thread::scope(|s| {
            let (send, analysed) = std::sync::mpsc::sync_channel::<Vec<EntryTexts>>(2);
            let interner = s.spawn(move || {
                let mut vocab = Vocab::default();
                // Per doc, per field: (term id, tf) and the field length.
                let mut fields: Vec<[FieldTf; 3]> = Vec::with_capacity(lib.entries.len());
                let mut docs = Vec::with_capacity(lib.entries.len());
                for batch in analysed {
                    for texts in batch {
                        let (doc, f) = texts.into_doc(&mut vocab);
                        docs.push(doc);
                        fields.push(f);
                    }
                }
                (docs, fields, vocab)
            });
            for batch in lib.entries.chunks(BUILD_BATCH) {
                let texts = crate::par::map(batch, |e| EntryTexts::analyse(e, analyzer));
                if send.send(texts).is_err() {
                    break; // the interner panicked: its join reports it
                }
            }
            drop(send);
            interner.join().expect("term interning thread panicked")
        });
        let Vocab { terms, names } = vocab;
        let n = lib.entries.len().max(1) as f64;
        let mut avg = [0.0; 3];
        for f in &fields {
            for k in 0..3 {
                avg[k] += f[k].len / n;
            }
        }
        // Each entry's saturated term weights (on all cores), then the
        // postings in entry order.
        let weights = crate::par::map(&fields, |f| saturated_weights(f, &avg));
        let mut df = vec![0u32; names.len()];
        for &(t, _) in weights.iter().flatten() {
            df[t as usize] += 1;
        }
        let mut postings: Vec<Vec<(u32, f32)>> =
            df.iter().map(|&c| Vec::with_capacity(c as usize)).collect();
        for (d, w) in weights.iter().enumerate() {
            for &(t, saturated) in w {
                postings[t as usize].push((d as u32, saturated));
            }
        }
        let idf: Vec<f64> = postings.iter().map(|p| idf(n, p.len() as f64)).collect();

        let mut vocab_by_initial: HashMap<(char, char), Vec<VocabWord>> = HashMap::new();
        for (id, name) in names.iter().enumerate() {
            if let Some(key) = initials(name) {
                if name.len() >= 4 {
                    vocab_by_initial
                        .entry(key)
                        .or_default()
                        .push(VocabWord::new(id as u32, name));
                }
            }
        }
        Index {
            terms,
            idf,
            postings,
            docs,
            vocab_by_initial,
            term_names: names,
            max_idf: idf_of_unseen(n),
        }
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The id of a known term, or of its closest spelling (Jaro-Winkler >= 0.92,
    /// same first two letters, at least 5 letters) to forgive typos.
    pub fn resolve(&self, term: &str) -> Option<(u32, bool)> {
        if let Some(&id) = self.terms.get(term) {
            return Some((id, false));
        }
        if term.len() < 5 || term.starts_with('#') || term.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut best: Option<(f64, u32)> = None;
        let a = term.as_bytes();
        for word in self.vocab_by_initial.get(&initials(term)?)? {
            if word.len + 1 < term.len() || term.len() + 1 < word.len {
                continue;
            }
            // Cheap filter before Jaro-Winkler: a typo rarely changes both
            // the third and the last letter.
            if a.get(2).copied() != word.third && a.last().copied() != word.last {
                continue;
            }
            let id = word.id;
            let name = &self.term_names[id as usize];
            let sim = strsim::jaro_winkler(term, name);
            if sim >= 0.92 && best.is_none_or(|(s, _)| sim > s) {
                best = Some((sim, id));
            }
        }
        best.map(|(_, id)| (id, true))
    }

    /// The `keep` best entries by BM25F for weighted query term ids, among
    /// those `usable` accepts: (doc, score), unsorted.
    ///
    /// (Dynamic pruning, MaxScore, was tried: query terms have similar upper
    /// bounds, so it rarely pruned and its checks cost more than it saved.)
    pub fn top(
        &self,
        query: &[(u32, f64)],
        keep: usize,
        usable: impl Fn(usize) -> bool,
    ) -> Vec<(usize, f64)> {
        thread_local! {
            /// The score array of [`Index::top`], kept by each thread: a
            /// fresh one per question was a large allocation for a large
            /// library (and fresh pages for the kernel to zero).
            static SCORES: std::cell::RefCell<Scores> = const { std::cell::RefCell::new(Scores::new()) };
        }
        SCORES.with(|scores| match scores.try_borrow_mut() {
            Ok(mut scores) => self.top_into(&mut scores, query, keep, &usable),
            Err(_) => self.top_into(&mut Scores::new(), query, keep, &usable),
        })
    }

    /// [`Index::top`] with `scores` as the score array.
    fn top_into(
        &self,
        scores: &mut Scores,
        query: &[(u32, f64)],
        keep: usize,
        usable: &impl Fn(usize) -> bool,
    ) -> Vec<(usize, f64)> {
        let acc = scores.take(self.docs.len());
        for &(t, wq) in query {
            let idf = self.idf[t as usize];
            // Terms in most entries barely separate them (their idf is tiny)
            // but have the longest postings; coverage features still see them.
            if idf < COMMON_IDF && self.docs.len() > 1000 {
                continue;
            }
            let w = (wq * idf) as f32;
            for &(d, tf) in &self.postings[t as usize] {
                acc[d as usize] += w * tf;
            }
        }
        let hits = best_scores(acc, keep, usable);
        scores.clean = true;
        hits
    }

    /// Asks the CPU to start loading what [`super::rerank::features`] reads
    /// of each of `entries`. A question's candidates are scattered over a
    /// library of many MB, and reading them one after another waits on
    /// memory for each in turn; asked for all at once (level by level, as
    /// each level holds the addresses of the next), the waits overlap. Only
    /// a hint: nothing changes but the speed.
    pub fn prefetch(&self, entries: &[usize]) {
        for &d in entries {
            prefetch(&self.docs[d]);
        }
        for &d in entries {
            let doc = &self.docs[d];
            prefetch(doc.main_terms.as_ptr());
            prefetch(doc.side_terms.as_ptr());
            prefetch(doc.phrasing_terms.as_ptr());
            prefetch(doc.phrasing_bigrams.as_ptr());
        }
        for &d in entries {
            let doc = &self.docs[d];
            for (terms, grams) in doc.phrasing_terms.iter().zip(&doc.phrasing_bigrams) {
                prefetch(terms.as_ptr());
                prefetch(grams.as_ptr());
            }
        }
    }
}

/// A hint that the cache line at `p` will be read soon.
#[inline(always)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// A vocabulary word as typo correction first filters it: what the filters
/// read is kept here, so that only the words they pass are read from the
/// names (scattered over memory).
struct VocabWord {
    id: u32,
    len: usize,
    third: Option<u8>,
    last: Option<u8>,
}

impl VocabWord {
    fn new(id: u32, name: &str) -> Self {
        let b = name.as_bytes();
        VocabWord {
            id,
            len: b.len(),
            third: b.get(2).copied(),
            last: b.last().copied(),
        }
    }
}

/// A score array that is all zeros between questions: [`best_scores`]
/// zeroes each block once it has read it, so a question does not pay for
/// clearing the whole array first.
struct Scores {
    values: Vec<f32>,
    /// False while a question is being scored (so after a panic in it the
    /// array is cleared in full).
    clean: bool,
}

impl Scores {
    const fn new() -> Self {
        Scores {
            values: Vec::new(),
            clean: true,
        }
    }

    /// The first `n` scores, all zero.
    fn take(&mut self, n: usize) -> &mut [f32] {
        if !self.clean {
            self.values.clear();
        }
        if self.values.len() < n {
            self.values.resize(n, 0.0);
        }
        self.clean = false;
        &mut self.values[..n]
    }
}

/// The best `keep` usable entries of a score array (scores above 0), unsorted.
/// Leaves the array all zeros.
fn best_scores(acc: &mut [f32], keep: usize, usable: &impl Fn(usize) -> bool) -> Vec<(usize, f64)> {
    let mut hits: Vec<(usize, f64)> = Vec::with_capacity(keep * 4);
    let mut floor = 0f32;
    // Most entries score below the floor: test a whole block first (a
    // branch-free loop the compiler vectorises), then look inside.
    const BLOCK: usize = 32;
    for (b, block) in acc.chunks_mut(BLOCK).enumerate() {
        if !block.iter().fold(false, |any, &x| any | (x > floor)) {
            block.fill(0.0);
            continue;
        }
        for (i, &score) in block.iter().enumerate() {
            let d = b * BLOCK + i;
            if score > floor && usable(d) {
                hits.push((d, f64::from(score)));
                // Keep the buffer small: cut to the best `keep` now and then.
                if hits.len() >= keep * 4 && keep > 0 {
                    hits.select_nth_unstable_by(keep - 1, |a, b| b.1.total_cmp(&a.1));
                    hits.truncate(keep);
                    floor = hits
                        .iter()
                        .map(|h| h.1 as f32)
                        .fold(f32::INFINITY, f32::min);
                }
            }
        }
        block.fill(0.0);
    }
    if keep > 0 && keep < hits.len() {
        hits.select_nth_unstable_by(keep - 1, |a, b| b.1.total_cmp(&a.1));
        hits.truncate(keep);
    }
    hits
}

/// An entry's BM25F term weights, stored already saturated (the query loop
/// only multiplies), in the order the entry's fields first use the terms.
fn saturated_weights(f: &[FieldTf; 3], avg: &[f64; 3]) -> Vec<(u32, f32)> {
    let mut tf: Vec<(u32, f64)> = Vec::new();
    for k in 0..3 {
        let norm = 1.0 - B + B * f[k].len / avg[k].max(1.0);
        for &(t, c) in &f[k].tf {
            let w = FIELD_WEIGHTS[k] * c / norm;
            match tf.iter_mut().find(|(id, _)| *id == t) {
                Some(e) => e.1 += w,
                None => tf.push((t, w)),
            }
        }
    }
    tf.into_iter()
        .map(|(t, w)| (t, (w * (K1 + 1.0) / (w + K1)) as f32))
        .collect()
}

/// The term dictionary being built: term -> id, and id -> term.
#[derive(Default)]
struct Vocab {
    terms: FxMap<String, u32>,
    names: Vec<String>,
}

impl Vocab {
    fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.terms.get(term) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(term.to_string());
        self.terms.insert(term.to_string(), id);
        id
    }
}

/// Entries analysed together by [`Index::build`].
const BUILD_BATCH: usize = 1024;

/// The analysed texts of one entry: its distinct terms, in the order its
/// phrasings (question, variants), then its tags and topic, then its comment
/// first use them; the terms of each phrasing and the counts of each field
/// as numbers into that list; and what re-ranking and polarity need of the
/// rest (the analyses themselves are many small allocations, not kept).
struct EntryTexts {
    terms: Vec<Arc<str>>,
    phrasings: Vec<Vec<u32>>,
    fields: [FieldTf; 3],
    doc: DocInfo,
}

impl EntryTexts {
    fn analyse(e: &crate::library::Entry, analyzer: &Analyzer) -> Self {
        let mut phrasings = vec![analyzer.field(&e.question)];
        phrasings.extend(e.variants.iter().map(|v| analyzer.field(v)));
        let meta = analyzer.side_field(&meta_text(e));
        let comment = analyzer.side_field(&e.comment);
        let phrasing_bigrams = phrasings.iter().map(|a| bigrams(&a.stem_text)).collect();
        let identifiers = phrasings
            .iter_mut()
            .flat_map(|a| std::mem::take(&mut a.identifiers))
            .collect();
        let framework_ids =
            |a: &Analysis| -> Vec<Arc<str>> { a.frameworks.iter().cloned().collect() };
        let mut frameworks_named: Vec<Arc<str>> =
            phrasings.iter().flat_map(framework_ids).collect();
        frameworks_named.sort();
        frameworks_named.dedup();
        let mut frameworks_mentioned = frameworks_named.clone();
        frameworks_mentioned.extend(framework_ids(&meta));
        frameworks_mentioned.extend(framework_ids(&comment));
        frameworks_mentioned.sort();
        frameworks_mentioned.dedup();
        let question = &mut phrasings[0];
        let doc = DocInfo {
            frameworks_named,
            frameworks_mentioned,
            concepts: std::mem::take(&mut question.concepts),
            polarity: std::mem::take(&mut question.polarity),
            identifiers,
            phrasing_bigrams,
            ..DocInfo::default()
        };
        let mut terms = LocalTerms::new();
        let mut fields: [FieldTf; 3] = Default::default();
        let phrasings = phrasings
            .iter()
            .map(|a| {
                let ids: Vec<u32> = a.terms.iter().map(|(t, _)| terms.number(t)).collect();
                for &id in &ids {
                    fields[0].add(id);
                }
                fields[0].len += ids.len() as f64;
                ids
            })
            .collect();
        for (k, a) in [&meta, &comment].into_iter().enumerate() {
            for (t, _) in &a.terms {
                let id = terms.number(t);
                fields[k + 1].add(id);
            }
            fields[k + 1].len = a.terms.len() as f64;
        }
        EntryTexts {
            terms: terms.list,
            phrasings,
            fields,
            doc,
        }
    }

    /// The entry's term ids (given out by `vocab`) and field counts.
    fn into_doc(self, vocab: &mut Vocab) -> (DocInfo, [FieldTf; 3]) {
        let ids: Vec<u32> = self.terms.iter().map(|t| vocab.intern(t)).collect();
        let mut f = self.fields;
        for field in &mut f {
            for (t, _) in &mut field.tf {
                *t = ids[*t as usize];
            }
        }
        let phrasing_terms: Vec<Vec<u32>> = self
            .phrasings
            .into_iter()
            .map(|mut terms| {
                for t in &mut terms {
                    *t = ids[*t as usize];
                }
                terms.sort_unstable();
                terms.dedup();
                terms
            })
            .collect();
        let mut main_terms: Vec<u32> = f[0].tf.iter().map(|&(t, _)| t).collect();
        main_terms.sort_unstable();
        let mut side_terms: Vec<u32> = f[1].tf.iter().chain(&f[2].tf).map(|&(t, _)| t).collect();
        side_terms.sort_unstable();
        side_terms.dedup();
        let doc = DocInfo {
            main_terms,
            side_terms,
            phrasing_terms,
            ..self.doc
        };
        (doc, f)
    }
}

/// An entry's distinct terms, numbered in order of first use.
struct LocalTerms<'a> {
    list: Vec<Arc<str>>,
    numbers: FxMap<&'a str, u32>,
}

impl<'a> LocalTerms<'a> {
    fn new() -> Self {
        LocalTerms {
            list: Vec::new(),
            numbers: FxMap::with_capacity_and_hasher(64, Default::default()),
        }
    }

    fn number(&mut self, term: &'a Arc<str>) -> u32 {
        let next = self.list.len() as u32;
        let n = *self.numbers.entry(&**term).or_insert(next);
        if n == next {
            self.list.push(term.clone());
        }
        n
    }
}

/// Term counts of one field of one entry (a few dozen terms: a vector beats
/// a hash map) and the field's length.
#[derive(Default)]
struct FieldTf {
    tf: Vec<(u32, f64)>,
    len: f64,
}

impl FieldTf {
    fn add(&mut self, term: u32) {
        match self.tf.iter_mut().find(|(t, _)| *t == term) {
            Some(e) => e.1 += 1.0,
            None => self.tf.push((term, 1.0)),
        }
    }
}

/// Tags and topic as text (`access-control` reads as two words).
fn meta_text(e: &crate::library::Entry) -> String {
    let mut meta = e.tags.join(" ").replace(['-', '_'], " ");
    if let Some(topic) = &e.topic {
        meta.push(' ');
        meta.push_str(&topic.replace(['-', '_'], " "));
    }
    meta
}

/// Character bigrams of a text as sorted codes (a multiset), for Sørensen-Dice.
pub fn bigrams(text: &str) -> Vec<u32> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<u32> = chars
        .windows(2)
        .map(|w| (u32::from(w[0]) << 16) ^ u32::from(w[1]))
        .collect();
    out.sort_unstable();
    out
}

/// Sørensen-Dice coefficient of two sorted bigram multisets.
pub fn dice(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    // A branch-free merge: the comparisons are unpredictable.
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        common += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// The first two letters of a word (typos rarely hit them).
fn initials(word: &str) -> Option<(char, char)> {
    let mut it = word.chars();
    let a = it.next().filter(|c| c.is_alphabetic())?;
    let b = it.next()?;
    Some((a, b))
}

fn idf(n: f64, df: f64) -> f64 {
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The idf a term that no entry uses would have.
fn idf_of_unseen(n: f64) -> f64 {
    idf(n, 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores 0..1000, each once, in a scrambled order.
    fn scrambled() -> Vec<f32> {
        (0..1000).map(|i| ((i * 7919) % 1000) as f32).collect()
    }

    #[test]
    fn best_scores_finds_the_best_usable_and_leaves_zeros() {
        let mut acc = scrambled();
        let best = acc.iter().position(|&x| x == 999.0).unwrap();
        let mut hits = best_scores(&mut acc, 3, &|d| d != best);
        hits.sort_by(|a, b| b.1.total_cmp(&a.1));
        let scores: Vec<f64> = hits.iter().map(|h| h.1).collect();
        assert_eq!(scores, [998.0, 997.0, 996.0]);
        assert!(acc.iter().all(|&x| x == 0.0), "the array is left all zeros");
    }

    #[test]
    fn a_score_array_left_mid_question_is_cleared_before_reuse() {
        let mut scores = Scores::new();
        let acc = scores.take(8);
        acc[3] = 5.0;
        // No `best_scores` (as after a panic): the next question starts clean.
        assert!(scores.take(8).iter().all(|&x| x == 0.0));
        // A longer array after a shorter one is all zeros too.
        scores.clean = true;
        assert!(scores.take(20).iter().all(|&x| x == 0.0));
    }
}
