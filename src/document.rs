//! The document model: the exact original text plus its metadata.

use std::collections::BTreeMap;

use chrono::NaiveDate;

/// One input document. The text is never modified; every layer refers to it
/// by byte spans.
#[derive(Debug, Clone)]
pub struct Document {
    /// The record's `id`, or the file name without its extension.
    pub id: String,
    /// Where it came from: a path, `-` for stdin, or `FILE.jsonl:LINE`.
    pub source: String,
    /// The original text, byte for byte (for Markdown, the body after the
    /// front matter).
    pub text: String,
    /// The document date that anchors relative expressions.
    pub date: Option<NaiveDate>,
    /// A title from front matter or the JSONL record.
    pub title: Option<String>,
    /// Other fields of a JSONL record or front matter, kept as given.
    pub meta: BTreeMap<String, serde_json::Value>,
}

impl Document {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Document {
        Document {
            id: id.into(),
            source: String::new(),
            text: text.into(),
            date: None,
            title: None,
            meta: BTreeMap::new(),
        }
    }

    pub fn with_date(mut self, date: NaiveDate) -> Document {
        self.date = Some(date);
        self
    }

    pub fn with_source(mut self, source: impl Into<String>) -> Document {
        self.source = source.into();
        self
    }
}

/// Parses a `YYYY-MM-DD` document date.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let head = t.get(..10).unwrap_or(t);
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .map_err(|e| format!("invalid date {t:?} (expected YYYY-MM-DD): {e}"))
}
