//! The meaning signal: sentence vectors of every library text and of each
//! question (see `src/embed/`), used three ways by the matcher:
//!
//! 1. recall: the entries closest in meaning join BM25's candidates, so an
//!    entry that shares no word with the question can still be found;
//! 2. a fused score: the cosine is a feature of the rank model and of the
//!    confidence model (`model.rs`);
//! 3. agreement: whether the candidate is also the embedding ranker's top-1,
//!    and by how much its cosine leads (or trails) the best other entry.
//!
//! Default mode uses the static word-piece table embedded in the binary;
//! full mode ([`Embedder::Full`]) runs the transformer, whose library vectors
//! are cached on disk by content hash.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::embed::{StaticEmbedder, Transformer, Vector, VectorIndex};
use crate::library::Library;

/// How many embedding neighbours join BM25's candidates (chosen by 5-fold
/// cross-validation on dev among 0, 3, 5 and 10).
pub const RECALL_DEPTH: usize = 10;

/// Where the vectors come from.
#[derive(Clone, Copy, Default)]
pub enum Embedder<'m> {
    /// No meaning signal: the lexical matcher alone (for comparisons).
    None,
    /// The static table embedded in the binary (the default mode).
    #[default]
    Static,
    /// The transformer (full mode).
    Full(&'m Transformer),
}

impl Embedder<'_> {
    /// "lexical", "default" or "full" (for reports).
    pub fn mode(&self) -> &'static str {
        match self {
            Embedder::None => "lexical",
            Embedder::Static => "default",
            Embedder::Full(_) => "full",
        }
    }
}

/// The library's vectors and a nearest-neighbour index over them.
pub struct Meaning<'m> {
    embedder: Embedder<'m>,
    /// One vector per library text (an entry's question, then its variants).
    vectors: Vec<Vector>,
    /// The entry of each vector (rows of one entry are contiguous).
    row_entry: Vec<usize>,
    /// The rows of each entry.
    entry_rows: Vec<std::ops::Range<usize>>,
    index: VectorIndex,
    /// The vector of each entry's comment (None where it has none; empty in
    /// full mode): what the vendor says it does, in words a paraphrase of the
    /// question may share with it rather than with the canonical question.
    comments: Vec<Option<Vector>>,
    /// Full mode: question vectors of this run (a question is embedded once
    /// however often the matcher looks at it; never written to disk).
    memo: Mutex<HashMap<String, Vector>>,
}

/// What the meaning signal says about one question.
pub struct QuestionMeaning {
    vector: Vector,
    /// The closest entries, best first, one hit per entry: (entry, cosine).
    pub nearest: Vec<(usize, f64)>,
}

/// The meaning features of one candidate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Signal {
    /// The best cosine between the question and the entry's texts.
    pub cosine: f64,
    /// 1 when the entry is also the embedding ranker's top-1.
    pub agree: f64,
    /// The entry's cosine minus the best cosine of any other entry
    /// (positive only for the embedding top-1).
    pub cos_gap: f64,
    /// The cosine between the question and the entry's comment (the
    /// question's cosine when the entry has none; 0 in full mode).
    pub comment_cos: f64,
}

/// `v`'s dot product with each of `rows`, taken eight at a time
/// ([`Vector::dots`], bit-identical to one at a time).
fn dots_eight_at_a_time(v: &Vector, rows: &[&Vector]) -> Vec<f32> {
    let mut dots = Vec::with_capacity(rows.len() + 7);
    for group in rows.chunks(8) {
        // A short last group repeats its first row.
        let eight = [0, 1, 2, 3, 4, 5, 6, 7].map(|i| *group.get(i).unwrap_or(&group[0]));
        dots.extend(&v.dots(eight)[..group.len()]);
    }
    dots
}

/// The texts of an entry that are embedded: its question and its variants.
fn entry_texts(lib: &Library) -> (Vec<&str>, Vec<usize>) {
    let mut texts = Vec::new();
    let mut owner = Vec::new();
    for (i, e) in lib.entries.iter().enumerate() {
        for t in std::iter::once(&e.question).chain(&e.variants) {
            if !t.trim().is_empty() {
                texts.push(t.as_str());
                owner.push(i);
            }
        }
    }
    (texts, owner)
}

impl<'m> Meaning<'m> {
    /// Embeds the library; None for [`Embedder::None`].
    pub fn build(lib: &Library, embedder: Embedder<'m>) -> anyhow::Result<Option<Self>> {
        let (texts, row_entry) = entry_texts(lib);
        let vectors = match embedder {
            Embedder::None => return Ok(None),
            Embedder::Static => StaticEmbedder::get().embed_batch(&texts),
            Embedder::Full(model) => model.embed_batch(&texts)?,
        };
        let mut entry_rows = vec![0..0; lib.entries.len()];
        for (row, &e) in row_entry.iter().enumerate() {
            if entry_rows[e].is_empty() {
                entry_rows[e] = row..row + 1;
            } else {
                entry_rows[e].end = row + 1;
            }
        }
        let index = VectorIndex::build(&vectors);
        let comments = Self::embed_comments(lib, embedder);
        Ok(Some(Meaning {
            embedder,
            vectors,
            row_entry,
            entry_rows,
            index,
            comments,
            memo: Mutex::new(HashMap::new()),
        }))
    }

    /// One vector per entry comment, embedded in one batch; none in full
    /// mode, where the transformer would take as long again as the library's
    /// questions (a cold 1,000-entry library: 6.1 s → 11.1-11.6 s, the whole
    /// run past the 10 s budget) and the static table's comment vectors did
    /// not pass the unseen-wording proxy.
    fn embed_comments(lib: &Library, embedder: Embedder) -> Vec<Option<Vector>> {
        if !matches!(embedder, Embedder::Static) {
            return Vec::new();
        }
        let with_comment: Vec<usize> = (0..lib.entries.len())
            .filter(|&i| !lib.entries[i].comment.trim().is_empty())
            .collect();
        let texts: Vec<&str> = with_comment
            .iter()
            .map(|&i| lib.entries[i].comment.as_str())
            .collect();
        let vectors = StaticEmbedder::get().embed_batch(&texts);
        let mut comments = vec![None; lib.entries.len()];
        for (i, v) in with_comment.into_iter().zip(vectors) {
            comments[i] = Some(v);
        }
        comments
    }

    pub fn embedder(&self) -> Embedder<'m> {
        self.embedder
    }

    /// Full mode: embeds `questions` in one batch ahead of matching them
    /// (far faster than one at a time). Does nothing in default mode.
    pub fn prepare(&self, questions: &[&str]) -> anyhow::Result<()> {
        let Embedder::Full(model) = self.embedder else {
            return Ok(());
        };
        let mut memo = self.memo.lock().expect("memo lock");
        let mut missing: Vec<&str> = questions
            .iter()
            .copied()
            .filter(|q| !memo.contains_key(*q))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        for (q, v) in missing.iter().zip(model.embed_uncached(&missing)?) {
            memo.insert((*q).to_string(), v);
        }
        Ok(())
    }

    fn question_vector(&self, question: &str) -> Vector {
        match self.embedder {
            Embedder::Full(model) => {
                if let Some(v) = self.memo.lock().expect("memo lock").get(question) {
                    return v.clone();
                }
                // An error here (a text the tokeniser rejects) leaves the
                // question without a meaning signal rather than failing.
                let v = model
                    .embed_uncached(&[question])
                    .ok()
                    .and_then(|mut v| v.pop())
                    .unwrap_or_else(|| Vector::normalized(vec![0.0; model.dims()]));
                self.memo
                    .lock()
                    .expect("memo lock")
                    .insert(question.to_string(), v.clone());
                v
            }
            _ => StaticEmbedder::get().embed_question(question),
        }
    }

    /// The question's vector and its nearest entries among those `usable`.
    pub fn question(&self, question: &str, usable: impl Fn(usize) -> bool) -> QuestionMeaning {
        let vector = self.question_vector(question);
        // Rows, not entries, are indexed: ask for enough rows to find
        // RECALL_DEPTH + 1 distinct entries in the usual case.
        let hits = self.index.top_k(&vector, 2 * (RECALL_DEPTH + 1), |row| {
            usable(self.row_entry[row])
        });
        self.nearest(vector, hits)
    }

    /// [`Meaning::question`] for a whole questionnaire: the vectors are made
    /// and searched in batches (on all cores).
    pub fn questions(
        &self,
        questions: &[&str],
        usable: impl Fn(usize) -> bool,
    ) -> Vec<QuestionMeaning> {
        let vectors: Vec<Vector> = match self.embedder {
            Embedder::Full(_) => {
                // On an error each question is tried on its own below.
                let _ = self.prepare(questions);
                questions.iter().map(|q| self.question_vector(q)).collect()
            }
            _ => StaticEmbedder::get().embed_questions(questions),
        };
        let hits = self
            .index
            .top_k_batch(&vectors, 2 * (RECALL_DEPTH + 1), |row| {
                usable(self.row_entry[row])
            });
        vectors
            .into_iter()
            .zip(hits)
            .map(|(vector, hits)| self.nearest(vector, hits))
            .collect()
    }

    /// One hit per entry, with exact cosines, best first.
    fn nearest(&self, vector: Vector, hits: Vec<crate::embed::Hit>) -> QuestionMeaning {
        let mut entries: Vec<usize> = Vec::with_capacity(RECALL_DEPTH + 1);
        for h in hits {
            let e = self.row_entry[h.entry];
            if !entries.contains(&e) {
                entries.push(e);
            }
        }
        let cosines = self.cosines_of(&vector, &entries);
        let mut nearest: Vec<(usize, f64)> = entries.into_iter().zip(cosines).collect();
        nearest.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        QuestionMeaning { vector, nearest }
    }

    /// The exact best cosine of `v` with each entry's texts (0 for an entry
    /// with no text).
    fn cosines_of(&self, v: &Vector, entries: &[usize]) -> Vec<f64> {
        let rows: Vec<&Vector> = entries
            .iter()
            .flat_map(|&e| &self.vectors[self.entry_rows[e].clone()])
            .collect();
        let mut dots = dots_eight_at_a_time(v, &rows).into_iter();
        entries
            .iter()
            .map(|&e| {
                dots.by_ref()
                    .take(self.entry_rows[e].len())
                    .map(f64::from)
                    .fold(0.0, f64::max)
            })
            .collect()
    }

    /// The cosine of `v` with each entry's comment (None for an entry with
    /// none).
    fn comment_cosines(&self, v: &Vector, entries: &[usize]) -> Vec<Option<f64>> {
        if self.comments.is_empty() {
            return vec![None; entries.len()];
        }
        let with: Vec<&Vector> = entries
            .iter()
            .filter_map(|&e| self.comments[e].as_ref())
            .collect();
        let mut dots = dots_eight_at_a_time(v, &with).into_iter();
        entries
            .iter()
            .map(|&e| {
                self.comments[e]
                    .as_ref()
                    .and_then(|_| dots.next().map(f64::from))
            })
            .collect()
    }

    /// The meaning features of entries `entries` for a question. The cosines
    /// of the question's nearest entries were taken already (by the same
    /// computation, so they are the same numbers): only the others are.
    pub fn signals(&self, q: &QuestionMeaning, entries: &[usize]) -> Vec<Signal> {
        let known = |e: usize| q.nearest.iter().find(|(n, _)| *n == e).map(|&(_, c)| c);
        let unknown: Vec<usize> = entries
            .iter()
            .copied()
            .filter(|&e| known(e).is_none())
            .collect();
        let mut taken = self.cosines_of(&q.vector, &unknown).into_iter();
        let comment_cosines = self.comment_cosines(&q.vector, entries);
        entries
            .iter()
            .zip(comment_cosines)
            .map(|(&e, comment_cos)| {
                let cosine = known(e)
                    .or_else(|| taken.next())
                    .expect("a cosine for every entry not among the nearest");
                let mut signal = Self::signal_with(q, e, cosine);
                // An entry without a comment is described by its question
                // alone, so it is neither helped nor hurt by the feature;
                // full mode has no comment vectors (0).
                signal.comment_cos = match comment_cos {
                    Some(c) => c,
                    None if self.comments.is_empty() => 0.0,
                    None => cosine,
                };
                signal
            })
            .collect()
    }

    /// The meaning features of entry `e`, whose cosine is `cosine`.
    fn signal_with(q: &QuestionMeaning, e: usize, cosine: f64) -> Signal {
        let best_other = q
            .nearest
            .iter()
            .find(|(n, _)| *n != e)
            .map_or(0.0, |(_, c)| *c);
        let top = q.nearest.first().map(|(n, _)| *n);
        Signal {
            cosine,
            agree: f64::from(u8::from(top == Some(e))),
            cos_gap: cosine - best_other,
            comment_cos: 0.0,
        }
    }
}
