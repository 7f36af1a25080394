//! Ingest: turns inputs into [`Document`]s, one at a time, so that a batch of
//! any size streams with flat memory.
//!
//! - `.txt` and `.md` files (Markdown front matter may give `date`, `title`,
//!   `source`; other keys go to `meta`), directories (recursively, sorted),
//!   `-` for standard input, and `.jsonl` files whose lines are records
//!   `{"id": ..., "text": ..., "date": ...}` (other fields go to `meta`).
//! - Every problem (unreadable file, invalid UTF-8, a malformed JSONL line) is
//!   a [`DocError`] for that document only; the batch goes on.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::Value as Json;

use crate::document::{parse_date, Document};

/// A per-document problem: the file, the place in it, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    /// The file (or `-`).
    pub source: String,
    /// `line 12`, `byte 4031`, or empty.
    pub place: String,
    pub reason: String,
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}: {}", self.source, self.reason)
        } else {
            write!(f, "{}: {}: {}", self.source, self.place, self.reason)
        }
    }
}

impl std::error::Error for DocError {}

fn err(source: &str, place: impl Into<String>, reason: impl Into<String>) -> DocError {
    DocError {
        source: source.to_string(),
        place: place.into(),
        reason: reason.into(),
    }
}

/// One input as named on the command line, after directories are expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    Text(PathBuf),
    Jsonl(PathBuf),
}

/// Expands inputs: a directory becomes its `.txt`, `.md` and `.jsonl` files,
/// recursively, sorted by path (READMEs skipped). Files named explicitly are taken whatever
/// their extension (read as `.jsonl` when they end so, else as text).
pub fn expand(inputs: &[String]) -> (Vec<Source>, Vec<DocError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        let path = PathBuf::from(input);
        if path.is_dir() {
            let mut found = Vec::new();
            walk(&path, &mut found, &mut errors);
            found.sort();
            sources.extend(found.into_iter().map(classify));
        } else if path.exists() {
            sources.push(classify(path));
        } else {
            errors.push(err(input, "", "no such file or directory"));
        }
    }
    (sources, errors)
}

fn classify(path: PathBuf) -> Source {
    if path.extension().is_some_and(|e| e == "jsonl") {
        Source::Jsonl(path)
    } else {
        Source::Text(path)
    }
}

/// Collects the documents under `dir`. A folder note (`README.md`,
/// `ENTITY_IDS.md`: see [`is_document`]) describes a folder and is not a
/// document; it is skipped unless named on the command line. Problems with one entry are reported and the walk goes on.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<DocError>) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(err(
                &dir.display().to_string(),
                "",
                format!("cannot read directory: {e}"),
            ));
            return;
        }
    };
    for entry in entries {
        let path = match entry {
            Ok(entry) => entry.path(),
            Err(e) => {
                errors.push(err(
                    &dir.display().to_string(),
                    "",
                    format!("cannot read directory: {e}"),
                ));
                continue;
            }
        };
        if path.is_dir() {
            walk(&path, out, errors);
        } else if is_document(&path) {
            out.push(path);
        }
    }
}

/// Whether a file found in a directory walk is a document: a `.txt`, `.md`
/// or `.jsonl` file that is not a folder note. Folder notes are READMEs (any
/// case) and files whose name is written in capitals, by the common
/// convention for notes about a folder (`LICENSE.txt`, `ENTITY_IDS.md`).
pub fn is_document(path: &Path) -> bool {
    let ext_ok = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "txt" | "md" | "jsonl"));
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let readme = stem.eq_ignore_ascii_case("readme");
    let capitals = stem.chars().any(|c| c.is_ascii_uppercase())
        && stem
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-');
    ext_ok && !readme && !capitals
}

/// Streams the documents of a list of sources, in order.
pub struct Documents {
    sources: std::vec::IntoIter<Source>,
    default_date: Option<NaiveDate>,
    jsonl: Option<(String, Box<dyn BufRead + Send>, usize)>,
}

impl Documents {
    pub fn new(sources: Vec<Source>, default_date: Option<NaiveDate>) -> Documents {
        Documents {
            sources: sources.into_iter(),
            default_date,
            jsonl: None,
        }
    }
}

impl Iterator for Documents {
    type Item = Result<Document, DocError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((name, reader, line_no)) = &mut self.jsonl {
                let mut buf = Vec::new();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) => {
                        self.jsonl = None;
                        continue;
                    }
                    Ok(_) => {
                        *line_no += 1;
                        let line = *line_no;
                        if buf.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        return Some(jsonl_record(name, line, &buf, self.default_date));
                    }
                    Err(e) => {
                        let name = name.clone();
                        self.jsonl = None;
                        return Some(Err(err(&name, "", format!("read error: {e}"))));
                    }
                }
            }
            match self.sources.next()? {
                Source::Stdin => {
                    let mut bytes = Vec::new();
                    if let Err(e) = io::stdin().lock().read_to_end(&mut bytes) {
                        return Some(Err(err("-", "", format!("read error: {e}"))));
                    }
                    return Some(text_document("-", "stdin", bytes, false, self.default_date));
                }
                Source::Text(path) => {
                    let shown = path.display().to_string();
                    let id = path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_else(|| shown.clone());
                    let markdown = path.extension().is_some_and(|e| e == "md");
                    return Some(match fs::read(&path) {
                        Ok(bytes) => text_document(&shown, &id, bytes, markdown, self.default_date),
                        Err(e) => Err(err(&shown, "", format!("cannot read: {e}"))),
                    });
                }
                Source::Jsonl(path) => {
                    let shown = path.display().to_string();
                    match File::open(&path) {
                        Ok(f) => self.jsonl = Some((shown, Box::new(BufReader::new(f)), 0)),
                        Err(e) => return Some(Err(err(&shown, "", format!("cannot read: {e}")))),
                    }
                }
            }
        }
    }
}

fn utf8(source: &str, bytes: Vec<u8>) -> Result<String, DocError> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        err(source, format!("byte {at}"), "invalid UTF-8")
    })
}

/// A `.txt` or `.md` document from its bytes.
pub fn text_document(
    source: &str,
    id: &str,
    bytes: Vec<u8>,
    markdown: bool,
    default_date: Option<NaiveDate>,
) -> Result<Document, DocError> {
    let mut text = utf8(source, bytes)?;
    let mut doc = Document::new(id, String::new()).with_source(source);
    doc.date = default_date;
    if markdown {
        if let Some((fields, body_start)) = front_matter(&text) {
            for (line, key, value) in fields {
                match key.as_str() {
                    "date" => {
                        doc.date = Some(
                            parse_date(&value)
                                .map_err(|e| err(source, format!("line {line}"), e))?,
                        );
                    }
                    "title" => doc.title = Some(value),
                    "source" => {
                        doc.meta.insert("source".into(), Json::String(value));
                    }
                    _ => {
                        doc.meta.insert(key, Json::String(value));
                    }
                }
            }
            text.drain(..body_start);
        }
    }
    if doc.date.is_none() {
        doc.date = dateline_date(&text);
    }
    doc.text = text;
    Ok(doc)
}

/// A full date ("7 May 2025", "May 7, 2025", "2025-05-07"), case-insensitive
/// month names with or without their abbreviation's period.
const FULL_DATE: &str = r"(?i)\b(?:(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>[a-z]{3,9})\.?,?\s+(?P<y1>(?:19|20)\d\d)|(?P<m2>[a-z]{3,9})\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d\d)|(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]\d)-(?P<d3>[0-3]\d))\b";

/// The document date a text gives at its top when nothing else does: a
/// heading or dateline among its first lines that carries one full date
/// ("Special Briefing — New Delhi, 7 May 2025 (transcript)", "New Delhi,
/// 12 April 2024", "ISLAMABAD, March 12, 2025 (Reuters) — ..."). A body
/// sentence ("On 6 January 2025, militants ...") is the date of an event,
/// not of the document, and does not count: a heading line is short and
/// does not end with a full stop; a longer line counts only when it opens
/// with a place and the date, then a dash, colon or parenthesis.
pub fn dateline_date(text: &str) -> Option<NaiveDate> {
    use std::sync::LazyLock;
    static DATE: LazyLock<Option<regex::Regex>> =
        LazyLock::new(|| regex::Regex::new(FULL_DATE).ok());
    static OPENER: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        regex::Regex::new(&format!(
            r"^[A-Z][^.,;:!?\n]{{0,40}},\s+(?i:{})\s*(?:\(|—|–|-|:)",
            FULL_DATE.trim_start_matches("(?i)")
        ))
        .ok()
    });
    let date = DATE.as_ref()?;
    // Whole lines only, among the first 1,200 bytes: a line cut short
    // would look like a heading.
    let mut seen = 0;
    let lines = text
        .lines()
        .take_while(|l| {
            seen += l.len() + 1;
            seen <= 1200
        })
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("---"))
        .take(5);
    for line in lines {
        // A list item ("1. Kathua, 8 July 2024.") is an entry, not a heading.
        let item = line
            .split_once(['.', ')'])
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if item || line.starts_with(['-', '•']) {
            continue;
        }
        let line = line
            .trim_start_matches(['#', '*', '_', ' '])
            .trim_end_matches(['*', '_', ' ']);
        let dated: Vec<NaiveDate> = date
            .captures_iter(line)
            .filter_map(|c| full_date(&c))
            .collect();
        if dated.len() != 1 {
            continue;
        }
        let heading = line.chars().count() <= 160 && !line.ends_with('.');
        let dateline = OPENER.as_ref().is_some_and(|o| o.is_match(line));
        if heading || dateline {
            return dated.first().copied();
        }
    }
    None
}

/// The calendar date of a [`FULL_DATE`] match, when its month is a month.
fn full_date(c: &regex::Captures) -> Option<NaiveDate> {
    let group = |names: [&str; 3]| names.iter().find_map(|n| c.name(n)).map(|m| m.as_str());
    let year: i32 = group(["y1", "y2", "y3"])?.parse().ok()?;
    let day: u32 = group(["d1", "d2", "d3"])?.parse().ok()?;
    let month = match (c.name("m3"), group(["m1", "m2", "m3"])) {
        (Some(m), _) => m.as_str().parse().ok()?,
        (None, Some(name)) => month_number(name)?,
        (None, None) => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// 1-12 for a month's name or its usual abbreviation.
fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| {
            *m == lower || (lower.len() >= 3 && m.starts_with(&lower) && lower.len() <= 4)
        })
        .map(|i| i as u32 + 1)
}

/// A front-matter field: its 1-based line, key and value.
type FrontField = (usize, String, String);

/// Parses `---` front matter of `key: value` lines. Returns the fields (with
/// their 1-based line numbers) and the byte where the body starts.
fn front_matter(text: &str) -> Option<(Vec<FrontField>, usize)> {
    // A byte-order mark before the front matter belongs to it.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first = text[bom..].split_inclusive('\n').next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut pos = bom + first.len();
    let mut fields = Vec::new();
    for (i, line) in text[pos..].split_inclusive('\n').enumerate() {
        pos += line.len();
        let l = line.trim_end();
        if l == "---" {
            return Some((fields, pos));
        }
        if let Some((k, v)) = l.split_once(':') {
            let v = v.trim().trim_matches('"').trim_matches('\'').to_string();
            fields.push((i + 2, k.trim().to_lowercase(), v));
        }
    }
    None
}

/// One JSONL record.
fn jsonl_record(
    source: &str,
    line: usize,
    bytes: &[u8],
    default_date: Option<NaiveDate>,
) -> Result<Document, DocError> {
    let place = format!("line {line}");
    let text = std::str::from_utf8(bytes).map_err(|e| {
        err(
            source,
            format!("line {line}, byte {}", e.valid_up_to()),
            "invalid UTF-8",
        )
    })?;
    let value: Json = serde_json::from_str(text).map_err(|e| {
        err(
            source,
            format!("line {line}, column {}", e.column()),
            format!("malformed JSON: {e}"),
        )
    })?;
    let Json::Object(map) = value else {
        return Err(err(source, place, "a record must be a JSON object"));
    };
    let mut meta = BTreeMap::new();
    let mut id = None;
    let mut body = None;
    let mut date = default_date;
    let mut title = None;
    for (k, v) in map {
        match (k.as_str(), v) {
            ("id", Json::String(s)) => id = Some(s),
            ("id", Json::Number(n)) => id = Some(n.to_string()),
            ("id", _) => return Err(err(source, place, "\"id\" must be a string or a number")),
            ("text", Json::String(s)) => body = Some(s),
            ("text", _) => return Err(err(source, place, "\"text\" must be a string")),
            ("date", Json::String(s)) => {
                date = Some(parse_date(&s).map_err(|e| err(source, &place, e))?);
            }
            ("date", Json::Null) => {}
            ("date", _) => return Err(err(source, place, "\"date\" must be a string YYYY-MM-DD")),
            ("title", Json::String(s)) => title = Some(s),
            (_, v) => {
                meta.insert(k, v);
            }
        }
    }
    let id = id.ok_or_else(|| err(source, &place, "record has no \"id\""))?;
    let body = body.ok_or_else(|| err(source, &place, "record has no \"text\""))?;
    let mut doc = Document::new(id, body).with_source(format!("{source}:{line}"));
    doc.date = date.or_else(|| dateline_date(&doc.text));
    doc.title = title;
    doc.meta = meta;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_sets_date_and_title_and_keeps_body_exact() {
        let md = "---\ndate: 2024-03-13\ntitle: Blast in Kech\nsource: wire\n---\nThree policemen were killed.\n";
        let doc = text_document("a.md", "a", md.as_bytes().to_vec(), true, None).unwrap();
        assert_eq!(doc.text, "Three policemen were killed.\n");
        assert_eq!(doc.date.unwrap().to_string(), "2024-03-13");
        assert_eq!(doc.title.as_deref(), Some("Blast in Kech"));
        assert_eq!(doc.meta["source"], "wire");
    }

    #[test]
    fn front_matter_after_a_bom_and_with_crlf() {
        let md = "\u{feff}---\r\ndate: 2024-03-13\r\n---\r\nBody.\r\n";
        let doc = text_document("a.md", "a", md.as_bytes().to_vec(), true, None).unwrap();
        assert_eq!(doc.text, "Body.\r\n");
        assert_eq!(doc.date.unwrap().to_string(), "2024-03-13");
        // Unclosed front matter: the whole file is the text.
        let md = "---\ndate: 2024-03-13\nBody.\n";
        let doc = text_document("a.md", "a", md.as_bytes().to_vec(), true, None).unwrap();
        assert_eq!(doc.text, md);
        // A bad front-matter date names its line.
        let md = "---\ntitle: x\ndate: 13/03/2024\n---\nBody.\n";
        let e = text_document("a.md", "a", md.as_bytes().to_vec(), true, None).unwrap_err();
        assert!(
            e.to_string().starts_with("a.md: line 3: invalid date"),
            "{e}"
        );
    }

    #[test]
    fn a_heading_or_dateline_gives_the_date_when_nothing_else_does() {
        let d = |t: &str| dateline_date(t).map(|d| d.to_string());
        // A heading with a place and a date.
        assert_eq!(
            d("Briefing on the border clashes — Islamabad, 3 March 2023 (edited)\n\nGood morning.").as_deref(),
            Some("2023-03-03")
        );
        // A dateline on its own line under a title.
        assert_eq!(
            d("PRESS RELEASE\nArrests in the bridge case\nLahore, 12 April 2024\nThe police today ...").as_deref(),
            Some("2024-04-12")
        );
        // A wire dateline opening a long first paragraph.
        let wire = format!(
            "KABUL, Sept. 9, 2021 (AP) — {}",
            "Gunmen attacked a checkpoint. ".repeat(10)
        );
        assert_eq!(d(&wire).as_deref(), Some("2021-09-09"));
        assert_eq!(
            d("# Weekly digest\n\nPublished: 2022-11-30\n\nBody.").as_deref(),
            Some("2022-11-30")
        );
        // An event date in a body sentence is not the document's.
        assert_eq!(
            d("Incident report\nOn 6 January 2025, Maoists detonated an IED near Bijapur.\n"),
            None
        );
        assert_eq!(d("A truce was signed on 4 June 2022."), None);
        // A list of dated entries gives none, however its lines run.
        let list = format!(
            "Incident summaries, 2024\n1. Kathua, 8 July 2024. {}\n2. Musakhel, 26 August 2024. Gunmen killed 23.\n",
            "Soldiers were killed in an ambush. ".repeat(40)
        );
        assert_eq!(d(&list), None);
        // A title spanning two dates, or with a month only, gives none.
        assert_eq!(
            d("Conflict brief, 3 May 2023 – 1 September 2025\nBody."),
            None
        );
        assert_eq!(d("Conflict brief, May 2023 – September 2025\nBody."), None);
        // Front matter wins over the text.
        let md = "---\ndate: 2024-03-13\n---\nLahore, 12 April 2024\nBody.\n";
        let doc = text_document("a.md", "a", md.as_bytes().to_vec(), true, None).unwrap();
        assert_eq!(doc.date.unwrap().to_string(), "2024-03-13");
        let doc = text_document(
            "a.txt",
            "a",
            b"Lahore, 12 April 2024\nBody.".to_vec(),
            false,
            None,
        )
        .unwrap();
        assert_eq!(doc.date.unwrap().to_string(), "2024-04-12");
    }

    #[test]
    fn invalid_utf8_names_the_byte() {
        let e =
            text_document("bad.txt", "bad", vec![b'o', b'k', 0xff, b'x'], false, None).unwrap_err();
        assert_eq!(e.to_string(), "bad.txt: byte 2: invalid UTF-8");
    }

    #[test]
    fn jsonl_records_keep_unknown_fields_in_meta() {
        let d = jsonl_record(
            "b.jsonl",
            3,
            br#"{"id": "x1", "text": "Hi", "date": "2025-06-20", "lang": "en"}"#,
            None,
        )
        .unwrap();
        assert_eq!(d.id, "x1");
        assert_eq!(d.source, "b.jsonl:3");
        assert_eq!(d.meta["lang"], "en");
        let e = jsonl_record("b.jsonl", 4, b"{\"id\": 1,", None).unwrap_err();
        assert!(e.to_string().starts_with("b.jsonl: line 4, column"), "{e}");
        let e = jsonl_record("b.jsonl", 5, br#"{"text": "x"}"#, None).unwrap_err();
        assert_eq!(e.to_string(), "b.jsonl: line 5: record has no \"id\"");
    }
}
