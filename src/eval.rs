//! Eval: precision, recall and F1 of `factsift/1` outputs against hand-written
//! gold files (`corpus/NAME.gold.json`, format in DESIGN.md).
//!
//! Matching, item by item (each predicted item matches at most one gold item):
//!
//! - an **entity** matches by `id`; a gold entity without an id matches a
//!   predicted entity of the same `type` that has one of its `mentions`;
//! - a **value** matches by `type` and `text` (exact, ignoring surrounding
//!   whitespace); it is correct when `value` agrees (and `qualifier`, when
//!   the gold gives one). A value found with the wrong normalization counts
//!   as a miss and a false hit;
//! - a **fact** matches when `kind` is equal and every gold argument is
//!   present and equal. An argument is an entity id, a string, or a value's
//!   normalized value: a predicted argument that is a value id (`v12`) is
//!   compared through that value's `value` (or its text). Lists compare as
//!   sets.
//!
//! Scores are counted per entity type (`entity/group`), value type
//! (`value/date`) and fact kind (`fact/meeting`), per layer, and overall.
//!
//! ```
//! use factsift::eval::{Gold, Report};
//! use serde_json::json;
//!
//! let gold: Gold = serde_json::from_value(json!({
//!     "values": [{"type": "date", "text": "June 19, 2025", "value": "2025-06-19"}]
//! })).unwrap();
//! let pred = json!({"values": [{"id": "v1", "type": "date", "text": "June 19, 2025",
//!                               "value": "2025-06-19"}]});
//! let mut report = Report::default();
//! report.add("doc", &gold, &pred);
//! assert_eq!(report.overall().f1(), 1.0);
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

/// A gold file.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Gold {
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
    #[serde(default)]
    pub values: Vec<GoldValue>,
    #[serde(default)]
    pub facts: Vec<GoldFact>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldEntity {
    #[serde(rename = "type")]
    pub etype: String,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub mentions: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldValue {
    #[serde(rename = "type")]
    pub vtype: String,
    pub text: String,
    pub value: Json,
    #[serde(default)]
    pub qualifier: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldFact {
    pub kind: String,
    #[serde(default)]
    pub args: BTreeMap<String, Json>,
}

impl Gold {
    /// Reads and parses a gold file.
    pub fn load(path: &Path) -> Result<Gold, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}: line {}, column {}: not a gold file: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })
    }
}

/// True, false positives and false negatives of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    /// With nothing predicted: 1 when nothing was to be found, else 0.
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 && self.fn_ > 0 {
            return 0.0;
        }
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// Nothing out of nothing is perfect.
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// One miss or false hit, described for a reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub document: String,
    /// `entity/group`, `value/date`, `fact/meeting`.
    pub category: String,
    pub what: String,
}

/// The scores of one or more documents.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub documents: usize,
    /// Per category: `entity/group`, `value/date`, `fact/meeting`.
    pub categories: BTreeMap<String, Counts>,
    pub misses: Vec<Item>,
    pub false_hits: Vec<Item>,
}

impl Report {
    /// Scores one document's prediction (a `factsift/1` object) against its
    /// gold and adds the result.
    pub fn add(&mut self, doc: &str, gold: &Gold, pred: &Json) {
        self.documents += 1;
        self.entities(doc, gold, pred);
        self.values(doc, gold, pred);
        self.facts(doc, gold, pred);
    }

    /// Merges another report into this one.
    pub fn merge(&mut self, other: Report) {
        self.documents += other.documents;
        for (k, c) in other.categories {
            self.categories.entry(k).or_default().add(c);
        }
        self.misses.extend(other.misses);
        self.false_hits.extend(other.false_hits);
    }

    fn count(&mut self, category: &str) -> &mut Counts {
        self.categories.entry(category.to_string()).or_default()
    }

    fn miss(&mut self, doc: &str, category: &str, what: String) {
        self.count(category).fn_ += 1;
        self.misses.push(Item {
            document: doc.to_string(),
            category: category.to_string(),
            what,
        });
    }

    fn false_hit(&mut self, doc: &str, category: &str, what: String) {
        self.count(category).fp += 1;
        self.false_hits.push(Item {
            document: doc.to_string(),
            category: category.to_string(),
            what,
        });
    }

    fn entities(&mut self, doc: &str, gold: &Gold, pred: &Json) {
        let predicted = array(pred, "entities");
        let mut used = vec![false; predicted.len()];
        for g in &gold.entities {
            let category = format!("entity/{}", g.etype);
            let found = predicted.iter().enumerate().position(|(i, p)| {
                !used[i]
                    && match &g.id {
                        Some(id) => str_of(p, "id") == id,
                        None => {
                            str_of(p, "type") == g.etype
                                && array(p, "mentions").iter().any(|m| {
                                    g.mentions
                                        .iter()
                                        .any(|t| t.trim() == str_of(m, "text").trim())
                                })
                        }
                    }
            });
            match found {
                Some(i) => {
                    used[i] = true;
                    self.count(&category).tp += 1;
                }
                None => {
                    let what = format!(
                        "{} ({})",
                        g.id.as_deref().unwrap_or("<no id>"),
                        g.mentions.join(", ")
                    );
                    self.miss(doc, &category, what);
                }
            }
        }
        for (i, p) in predicted.iter().enumerate() {
            if !used[i] {
                let mentions: Vec<&str> = array(p, "mentions")
                    .iter()
                    .map(|m| str_of(m, "text"))
                    .collect();
                let what = format!("{} ({})", str_of(p, "id"), mentions.join(", "));
                self.false_hit(doc, &format!("entity/{}", str_of(p, "type")), what);
            }
        }
    }

    fn values(&mut self, doc: &str, gold: &Gold, pred: &Json) {
        let predicted = array(pred, "values");
        let mut used = vec![false; predicted.len()];
        for g in &gold.values {
            let category = format!("value/{}", g.vtype);
            let found = predicted.iter().enumerate().position(|(i, p)| {
                !used[i]
                    && str_of(p, "type") == g.vtype
                    && str_of(p, "text").trim() == g.text.trim()
            });
            let what = format!(
                "{:?} = {}{}",
                g.text,
                g.value,
                g.qualifier
                    .as_ref()
                    .map(|q| format!(" ({q})"))
                    .unwrap_or_default()
            );
            match found {
                Some(i) => {
                    used[i] = true;
                    let p = &predicted[i];
                    let value_ok = same(&p["value"], &g.value);
                    let qualifier_ok = g
                        .qualifier
                        .as_ref()
                        .is_none_or(|q| str_of(p, "qualifier") == q);
                    if value_ok && qualifier_ok {
                        self.count(&category).tp += 1;
                    } else {
                        let got = describe_value(p);
                        self.miss(doc, &category, format!("{what}, found {got}"));
                        self.false_hit(doc, &category, format!("{got}, gold {what}"));
                    }
                }
                None => self.miss(doc, &category, what),
            }
        }
        for (i, p) in predicted.iter().enumerate() {
            if !used[i] {
                self.false_hit(
                    doc,
                    &format!("value/{}", str_of(p, "type")),
                    describe_value(p),
                );
            }
        }
    }

    fn facts(&mut self, doc: &str, gold: &Gold, pred: &Json) {
        let values: HashMap<&str, &Json> = array(pred, "values")
            .iter()
            .map(|v| (str_of(v, "id"), v))
            .collect();
        let predicted = array(pred, "facts");
        let mut used = vec![false; predicted.len()];
        for g in &gold.facts {
            let category = format!("fact/{}", g.kind);
            let found = predicted.iter().enumerate().position(|(i, p)| {
                !used[i]
                    && str_of(p, "kind") == g.kind
                    && g.args.iter().all(|(k, want)| {
                        p["args"]
                            .get(k)
                            .is_some_and(|got| arg_equal(got, want, &values))
                    })
            });
            match found {
                Some(i) => {
                    used[i] = true;
                    self.count(&category).tp += 1;
                }
                None => {
                    let what = format!(
                        "{} {}",
                        g.kind,
                        Json::from(
                            g.args
                                .clone()
                                .into_iter()
                                .collect::<serde_json::Map<_, _>>()
                        )
                    );
                    self.miss(doc, &category, what);
                }
            }
        }
        for (i, p) in predicted.iter().enumerate() {
            if !used[i] {
                let args = resolved_args(&p["args"], &values);
                let what = format!("{} {} {:?}", str_of(p, "kind"), args, str_of(p, "text"));
                self.false_hit(doc, &format!("fact/{}", str_of(p, "kind")), what);
            }
        }
    }

    /// The sum over categories whose name starts with `prefix` (`entity/`,
    /// `value/`, `fact/`, or `` for everything).
    pub fn total(&self, prefix: &str) -> Counts {
        let mut c = Counts::default();
        for (k, v) in &self.categories {
            if k.starts_with(prefix) {
                c.add(*v);
            }
        }
        c
    }

    /// Every category together (micro-averaged).
    pub fn overall(&self) -> Counts {
        self.total("")
    }

    /// The report as JSON: per category and layer, overall, misses, false hits.
    pub fn to_json(&self) -> Json {
        let row = |c: &Counts| {
            json!({"tp": c.tp, "fp": c.fp, "fn": c.fn_,
                   "precision": round(c.precision()), "recall": round(c.recall()),
                   "f1": round(c.f1())})
        };
        let categories: serde_json::Map<String, Json> = self
            .categories
            .iter()
            .map(|(k, c)| (k.clone(), row(c)))
            .collect();
        json!({
            "documents": self.documents,
            "categories": categories,
            "layers": {
                "entities": row(&self.total("entity/")),
                "values": row(&self.total("value/")),
                "facts": row(&self.total("fact/")),
            },
            "overall": row(&self.overall()),
            "misses": self.misses,
            "false_hits": self.false_hits,
        })
    }

    /// The report as a table for a reader, then the misses and false hits.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{} document(s)\n", self.documents);
        let _ = writeln!(
            s,
            "{:<24} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6}",
            "category", "tp", "fp", "fn", "precision", "recall", "f1"
        );
        let line = |s: &mut String, name: &str, c: &Counts| {
            let _ = writeln!(
                s,
                "{:<24} {:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>6.3}",
                name,
                c.tp,
                c.fp,
                c.fn_,
                c.precision(),
                c.recall(),
                c.f1()
            );
        };
        for (layer, prefix) in [
            ("entities", "entity/"),
            ("values", "value/"),
            ("facts", "fact/"),
        ] {
            for (k, c) in self
                .categories
                .iter()
                .filter(|(k, _)| k.starts_with(prefix))
            {
                line(&mut s, &format!("  {k}"), c);
            }
            line(&mut s, layer, &self.total(prefix));
        }
        line(&mut s, "overall", &self.overall());
        for (title, items) in [("misses", &self.misses), ("false hits", &self.false_hits)] {
            let _ = writeln!(s, "\n{title} ({}):", items.len());
            for it in items {
                let _ = writeln!(s, "  {}  {:<18} {}", it.document, it.category, it.what);
            }
        }
        s
    }
}

fn round(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

fn array<'a>(j: &'a Json, key: &str) -> &'a [Json] {
    j.get(key)
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn str_of<'a>(j: &'a Json, key: &str) -> &'a str {
    j.get(key).and_then(Json::as_str).unwrap_or("")
}

fn describe_value(p: &Json) -> String {
    let q = str_of(p, "qualifier");
    format!(
        "{:?} = {}{}",
        str_of(p, "text"),
        p.get("value").unwrap_or(&Json::Null),
        if q.is_empty() {
            String::new()
        } else {
            format!(" ({q})")
        }
    )
}

/// JSON equality, with numbers compared as numbers (300 == 300.0) and
/// strings ignoring surrounding whitespace and case.
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::String(x), Json::String(y)) => x.trim().eq_ignore_ascii_case(y.trim()),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        _ => a == b,
    }
}

/// A predicted argument with value ids replaced by their values, for display.
fn resolved_args(args: &Json, values: &HashMap<&str, &Json>) -> Json {
    match args {
        Json::String(s) => values
            .get(s.as_str())
            .map(|v| v.get("value").cloned().unwrap_or(Json::Null))
            .unwrap_or_else(|| args.clone()),
        Json::Array(a) => Json::Array(a.iter().map(|x| resolved_args(x, values)).collect()),
        Json::Object(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), resolved_args(v, values)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Whether one predicted argument element equals one gold element: an entity
/// id or string equal, or a value id whose value (or text) equals the gold.
fn element_equal(got: &Json, want: &Json, values: &HashMap<&str, &Json>) -> bool {
    if same(got, want) {
        return true;
    }
    if let (Some(g), Some(w)) = (got.as_str(), want.as_str()) {
        if !is_entity_id(g) && !is_entity_id(w) && !values.contains_key(g) && text_similar(g, w) {
            return true;
        }
    }
    let Some(v) = got.as_str().and_then(|id| values.get(id)) else {
        return false;
    };
    v.get("value").is_some_and(|x| same(x, want))
        || want
            .as_str()
            .is_some_and(|w| text_similar(str_of(v, "text"), w))
}

/// Free-text arguments (a statement's content, an attack's target or means,
/// a cooperation's topic) are written by hand in the gold files, so they
/// match loosely, as TempEval's relaxed spans do: after folding case, quotes,
/// dashes and punctuation, one contains the other, or they share at least
/// 60% of their words (Dice). Ids (`group:ttp`) and numbers still match
/// exactly.
fn text_similar(got: &str, want: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (g, w) = (words(got), words(want));
    if g.is_empty() || w.is_empty() {
        return g == w;
    }
    // Numbers (dates, counts) never match loosely.
    let numbers = |v: &[String]| -> Vec<String> {
        let mut n: Vec<String> = v
            .iter()
            .filter(|x| x.chars().any(|c| c.is_ascii_digit()))
            .cloned()
            .collect();
        n.sort();
        n
    };
    let (short, long) = if g.len() <= w.len() {
        (&g, &w)
    } else {
        (&w, &g)
    };
    // The shorter text's numbers all appear in the longer one.
    let mut pool = numbers(long);
    for x in numbers(short) {
        match pool.iter().position(|y| *y == x) {
            Some(i) => {
                pool.swap_remove(i);
            }
            None => return false,
        }
    }
    let (ss, ls) = (
        format!(" {} ", short.join(" ")),
        format!(" {} ", long.join(" ")),
    );
    if ls.contains(&ss) && (short.len() >= 4 || 3 * short.len() >= long.len()) {
        return true;
    }
    let mut pool = w.clone();
    let mut shared = 0usize;
    for x in &g {
        if let Some(i) = pool.iter().position(|y| y == x) {
            pool.swap_remove(i);
            shared += 1;
        }
    }
    5 * 2 * shared >= 3 * (g.len() + w.len())
}

/// Does `id` look like an entity id (`group:ttp`) rather than free text?
fn is_entity_id(s: &str) -> bool {
    s.split_once(':').is_some_and(|(kind, rest)| {
        !kind.is_empty()
            && !rest.is_empty()
            && kind.chars().all(|c| c.is_ascii_lowercase())
            && !rest.contains(char::is_whitespace)
    })
}

/// Argument equality; lists (on either side) compare as sets.
fn arg_equal(got: &Json, want: &Json, values: &HashMap<&str, &Json>) -> bool {
    let as_set = |j: &Json| -> Vec<Json> {
        match j {
            Json::Array(a) => a.clone(),
            other => vec![other.clone()],
        }
    };
    if got.is_array() || want.is_array() {
        let (g, w) = (as_set(got), as_set(want));
        w.iter()
            .all(|x| g.iter().any(|y| element_equal(y, x, values)))
            && g.iter()
                .all(|y| w.iter().any(|x| element_equal(y, x, values)))
    } else {
        element_equal(got, want, values)
    }
}

/// The gold files under `dir` (recursively): document id (the file name
/// without `.gold.json`) -> path, sorted by id.
pub fn gold_files(dir: &Path) -> Result<BTreeMap<String, std::path::PathBuf>, String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a directory of gold files", dir.display()));
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    Ok(files
        .into_iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?;
            let id = name.strip_suffix(".gold.json")?.to_string();
            Some((id, p))
        })
        .collect())
}

/// Files under `dir` (recursively) that hold saved `factsift extract`
/// outputs: `.jsonl`, and `.json` other than `.gold.json`; sorted.
pub fn output_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut files = Vec::new();
    walk(dir, &mut files);
    out.extend(files.into_iter().filter(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.ends_with(".jsonl") || (name.ends_with(".json") && !name.ends_with(".gold.json"))
    }));
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(j: Json) -> Gold {
        serde_json::from_value(j).unwrap()
    }

    fn pred() -> Json {
        json!({
            "entities": [
                {"id": "group:ttp", "type": "group", "mentions": [{"text": "TTP"}]},
                {"id": "official:marco-rubio", "type": "official", "mentions": [{"text": "Marco Rubio"}]},
                {"id": "place:pk", "type": "place", "mentions": [{"text": "Pakistan"}]},
                {"id": "person:x", "type": "person", "mentions": [{"text": "Kabul Airport"}]}
            ],
            "values": [
                {"id": "v1", "type": "date", "text": "June 19, 2025", "value": "2025-06-19"},
                {"id": "v2", "type": "count", "text": "more than 300 police", "value": 300, "qualifier": "more_than"},
                {"id": "v3", "type": "count", "text": "651 attacks", "value": 615},
                {"id": "v4", "type": "date", "text": "2021", "value": "2021"}
            ],
            "facts": [
                {"id": "f1", "kind": "meeting", "text": "...", "args": {
                    "participants": ["official:marco-rubio", "official:shehbaz-sharif"],
                    "time": "v1", "format": "phone call"}},
                {"id": "f2", "kind": "training", "text": "...", "args": {"trainer": "place:us", "count": "v2"}}
            ]
        })
    }

    #[test]
    fn entities_match_by_id_or_by_type_and_mention() {
        let g = gold(json!({"entities": [
            {"type": "group", "id": "group:ttp", "mentions": ["TTP"]},
            {"type": "place", "mentions": ["Pakistan"]},
            {"type": "group", "id": "group:isk", "mentions": ["IS-K"]},
            {"type": "official", "id": "official:marco-rubio", "mentions": ["Marco Rubio"]}
        ]}));
        let mut r = Report::default();
        r.add("d", &g, &pred());
        assert_eq!(
            r.categories["entity/group"],
            Counts {
                tp: 1,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(
            r.categories["entity/place"],
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(
            r.categories["entity/person"],
            Counts {
                tp: 0,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(r.misses[0].what, "group:isk (IS-K)");
        assert_eq!(
            r.total("entity/"),
            Counts {
                tp: 3,
                fp: 1,
                fn_: 1
            }
        );
    }

    #[test]
    fn values_match_by_type_and_text_and_are_correct_when_value_and_qualifier_agree() {
        let g = gold(json!({"values": [
            {"type": "date", "text": " June 19, 2025 ", "value": "2025-06-19"},
            {"type": "count", "text": "more than 300 police", "value": 300.0, "qualifier": "more_than"},
            {"type": "count", "text": "651 attacks", "value": 651},
            {"type": "count", "text": "732 attacks", "value": 732}
        ]}));
        let mut r = Report::default();
        r.add("d", &g, &pred());
        assert_eq!(
            r.categories["value/date"],
            Counts {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
        // 651 found as 615: a miss and a false hit; 732 not found: a miss.
        assert_eq!(
            r.categories["value/count"],
            Counts {
                tp: 1,
                fp: 1,
                fn_: 2
            }
        );
        assert!(r
            .misses
            .iter()
            .any(|m| m.what.contains("found \"651 attacks\" = 615")));
        // A qualifier the gold gives must agree.
        let g = gold(json!({"values": [
            {"type": "count", "text": "more than 300 police", "value": 300, "qualifier": "approx"}
        ]}));
        let mut r = Report::default();
        r.add("d", &g, &pred());
        assert_eq!(r.categories["value/count"].tp, 0);
    }

    #[test]
    fn facts_match_by_kind_and_every_gold_arg_through_value_ids_and_sets() {
        let g = gold(json!({"facts": [
            {"kind": "meeting", "args": {
                "participants": ["official:shehbaz-sharif", "official:marco-rubio"],
                "time": "2025-06-19"}},
            {"kind": "training", "args": {"trainer": "place:us", "count": 300}},
            {"kind": "meeting", "args": {"participants": ["official:marco-rubio"]}},
            {"kind": "attack", "args": {"perpetrator": "group:ttp"}}
        ]}));
        let mut r = Report::default();
        r.add("d", &g, &pred());
        // The third gold fact's participant set differs from the only meeting.
        assert_eq!(
            r.categories["fact/meeting"],
            Counts {
                tp: 1,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(
            r.categories["fact/training"],
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(
            r.categories["fact/attack"],
            Counts {
                tp: 0,
                fp: 0,
                fn_: 1
            }
        );
    }

    #[test]
    fn free_text_args_match_loosely_but_numbers_and_ids_exactly() {
        assert!(text_similar(
            "“All the attackers had been killed”",
            "All the attackers had been killed"
        ));
        assert!(text_similar(
            "claimed responsibility for the attack",
            "claimed responsibility"
        ));
        assert!(text_similar(
            "the attack had been directed from Afghan soil by handlers",
            "the attack had been directed from Afghan soil"
        ));
        assert!(!text_similar(
            "attacked",
            "suicide bombing of the railway station platform"
        ));
        assert!(!text_similar("2025-06-20", "2025-06-19"));
        assert!(!text_similar("16 attackers", "17 attackers"));
        assert!(text_similar(
            "21 militants were killed in the operations that followed",
            "21 militants were killed in the operations that followed, while 14 soldiers died"
        ));
        assert!(is_entity_id("group:ttp") && is_entity_id("person:mohammad-sharifullah"));
        assert!(!is_entity_id("Quetta railway station") && !is_entity_id("note: x y"));
        let values = HashMap::new();
        assert!(!element_equal(
            &json!("group:ttp"),
            &json!("group:ttp-x"),
            &values
        ));
    }

    #[test]
    fn scores_and_rendering() {
        let c = Counts {
            tp: 3,
            fp: 1,
            fn_: 2,
        };
        assert_eq!(c.precision(), 0.75);
        assert_eq!(c.recall(), 0.6);
        assert!((c.f1() - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-12);
        assert_eq!(Counts::default().f1(), 1.0);
        let g =
            gold(json!({"entities": [{"type": "group", "id": "group:isk", "mentions": ["IS-K"]}]}));
        let mut r = Report::default();
        r.add("doc1", &g, &json!({}));
        let mut total = Report::default();
        total.merge(r);
        let text = total.render();
        assert!(text.contains("overall"), "{text}");
        assert!(text.contains("doc1  entity/group"), "{text}");
        let j = total.to_json();
        assert_eq!(j["overall"]["fn"], 1);
        assert_eq!(j["layers"]["entities"]["recall"], 0.0);
        assert_eq!(j["misses"][0]["category"], "entity/group");
    }
}
