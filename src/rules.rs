//! The rule pack: plain TOML files that researchers edit, loaded once.
//!
//! A pack is an ordered list of files. Each file holds arrays of tables whose
//! name says what an entry is (`[[group]]`, `[[place]]`, `[[date]]`...); each
//! stage takes the tables it owns with [`RulePack::entries`]. Files load in
//! order (directory by directory, then by path), and for the same id a later
//! entry replaces an earlier one, so a researcher's directory layered on top
//! of the default pack wins.
//!
//! Every problem is reported at once, each as a [`RuleError`] printed as
//! `file:line:column: [id] reason`, the line, and a caret under the fault.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// Top-level tables a rule file may hold. A key not in this list is an error
/// (it is almost always a typo).
pub const KNOWN_TABLES: &[&str] = &[
    "group",
    "official",
    "person",
    "organization",
    "place",
    "city",
    "title",
    "count",
    "date",
    "date_word",
    "number",
    "unit",
    "currency",
    "fact",
    "pack",
];

/// The default pack, embedded at build time: `(path, text)` pairs.
const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// One rule file, parsed.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// The path as shown in rule ids and errors: `rules/groups.toml`.
    pub path: String,
    pub text: String,
    pub table: toml::Table,
}

impl RuleFile {
    /// Parses one file; a syntax error comes back with its position.
    pub fn parse(path: &str, text: &str) -> Result<RuleFile, RuleError> {
        match text.parse::<toml::Table>() {
            Ok(table) => Ok(RuleFile {
                path: path.to_string(),
                text: text.to_string(),
                table,
            }),
            Err(e) => {
                let at = e.span().map(|s| s.start).unwrap_or(0);
                Err(RuleError::at_byte(path, text, at, None, e.message().trim()))
            }
        }
    }

    /// The entries of table `name` in this file (`[[group]]` or `group = [..]`).
    pub fn entries(&self, name: &str) -> &[toml::Value] {
        match self.table.get(name) {
            Some(toml::Value::Array(items)) => items,
            _ => &[],
        }
    }

    /// The rule id of an entry: `rules/groups.toml#ttp`.
    pub fn rule_id(&self, id: &str) -> String {
        format!("{}#{}", self.path, id)
    }

    /// An error about the entry with id `id` (located at its `id = "..."`
    /// line when that can be found, else at the first mention of `needle`).
    pub fn error(
        &self,
        id: Option<&str>,
        needle: Option<&str>,
        message: impl Into<String>,
    ) -> RuleError {
        let at = id
            .and_then(|id| locate_id(&self.text, id))
            .or_else(|| needle.and_then(|n| self.text.find(n)))
            .unwrap_or(0);
        let at = match needle {
            // Prefer the needle's position when it comes after the id line
            // (the offending alias inside the entry).
            Some(n) if id.is_some() => self.text[at..].find(n).map(|p| at + p).unwrap_or(at),
            _ => at,
        };
        RuleError::at_byte(&self.path, &self.text, at, id.map(str::to_string), message)
    }
}

fn locate_id(text: &str, id: &str) -> Option<usize> {
    for quote in ['"', '\''] {
        let needle = format!("{quote}{id}{quote}");
        let mut from = 0;
        while let Some(p) = text[from..].find(&needle) {
            let at = from + p;
            let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
            let before = text[line_start..at].trim_end();
            if before.ends_with('=') && before.trim_start_matches(['{', ' ']).starts_with("id") {
                return Some(at);
            }
            if before.ends_with("id =") || before.ends_with("id=") {
                return Some(at);
            }
            from = at + needle.len();
        }
    }
    None
}

/// A problem in a rule file, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    /// 1-based line and column (column in characters).
    pub line: usize,
    pub column: usize,
    /// The offending line, for the caret display.
    pub line_text: String,
    pub rule_id: Option<String>,
    pub message: String,
}

impl RuleError {
    /// An error at byte `at` of `text`.
    pub fn at_byte(
        file: &str,
        text: &str,
        at: usize,
        rule_id: Option<String>,
        message: impl Into<String>,
    ) -> RuleError {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let line_end = text[at..].find('\n').map(|i| at + i).unwrap_or(text.len());
        RuleError {
            file: file.to_string(),
            line: text[..at].matches('\n').count() + 1,
            column: text[line_start..at].chars().count() + 1,
            line_text: text[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
            rule_id,
            message: message.into(),
        }
    }

    /// An error not tied to a place in a file (an unreadable directory).
    pub fn whole_file(file: &str, message: impl Into<String>) -> RuleError {
        RuleError {
            file: file.to_string(),
            line: 0,
            column: 0,
            line_text: String::new(),
            rule_id: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            return write!(f, "{}: {}", self.file, self.message);
        }
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if let Some(id) = &self.rule_id {
            write!(f, "[{id}] ")?;
        }
        writeln!(f, "{}", self.message)?;
        let gutter = self.line.to_string();
        let pad = " ".repeat(gutter.len());
        writeln!(f, "{pad} |")?;
        writeln!(f, "{gutter} | {}", self.line_text)?;
        write!(f, "{pad} | {}^", " ".repeat(self.column.saturating_sub(1)))
    }
}

/// Every problem found while loading or compiling a rule pack.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PackError {
    pub errors: Vec<RuleError>,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{e}")?;
        }
        write!(f, "{} problem(s) in the rule pack", self.errors.len())
    }
}

impl std::error::Error for PackError {}

impl From<Vec<RuleError>> for PackError {
    fn from(errors: Vec<RuleError>) -> PackError {
        PackError { errors }
    }
}

/// An ordered list of parsed rule files.
#[derive(Debug, Clone, Default)]
pub struct RulePack {
    pub files: Vec<RuleFile>,
}

impl RulePack {
    /// The default pack built into the binary.
    pub fn embedded() -> Result<RulePack, PackError> {
        RulePack::from_sources(EMBEDDED.iter().map(|(p, t)| (p.to_string(), t.to_string())))
    }

    /// Loads every `*.toml` under each directory, in order.
    pub fn from_dirs<P: AsRef<Path>>(dirs: &[P]) -> Result<RulePack, PackError> {
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        for dir in dirs {
            let dir = dir.as_ref();
            if !dir.is_dir() {
                errors.push(RuleError::whole_file(
                    &dir.display().to_string(),
                    "not a directory of rule files",
                ));
                continue;
            }
            let mut paths = Vec::new();
            if let Err(e) = collect_toml(dir, &mut paths) {
                errors.push(RuleError::whole_file(
                    &dir.display().to_string(),
                    e.to_string(),
                ));
                continue;
            }
            paths.sort();
            for path in paths {
                let shown = path.display().to_string();
                match fs::read(&path) {
                    Ok(bytes) => match String::from_utf8(bytes) {
                        Ok(text) => sources.push((shown, text)),
                        Err(e) => {
                            let at = e.utf8_error().valid_up_to();
                            errors.push(RuleError::whole_file(
                                &shown,
                                format!("invalid UTF-8 at byte {at}"),
                            ));
                        }
                    },
                    Err(e) => errors.push(RuleError::whole_file(&shown, e.to_string())),
                }
            }
        }
        let pack = RulePack::from_sources(sources);
        match pack {
            Ok(p) if errors.is_empty() => Ok(p),
            Ok(_) => Err(PackError { errors }),
            Err(mut e) => {
                errors.append(&mut e.errors);
                Err(PackError { errors })
            }
        }
    }

    /// Parses `(path, text)` pairs in order.
    pub fn from_sources<I: IntoIterator<Item = (String, String)>>(
        sources: I,
    ) -> Result<RulePack, PackError> {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for (path, text) in sources {
            match RuleFile::parse(&path, &text) {
                Ok(file) => {
                    for key in file.table.keys() {
                        if !KNOWN_TABLES.contains(&key.as_str()) {
                            let at = find_key(&text, key);
                            errors.push(RuleError::at_byte(
                                &path,
                                &text,
                                at,
                                None,
                                format!(
                                    "unknown table `{key}` (expected one of: {})",
                                    KNOWN_TABLES.join(", ")
                                ),
                            ));
                        }
                    }
                    files.push(file);
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(RulePack { files })
        } else {
            Err(PackError { errors })
        }
    }

    /// Appends another pack's files after this one's (they win for equal ids).
    pub fn layer(mut self, other: RulePack) -> RulePack {
        self.files.extend(other.files);
        self
    }

    /// Every entry of table `name`, in load order, with its file.
    pub fn entries<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = (&'a RuleFile, &'a toml::Value)> + 'a {
        self.files
            .iter()
            .flat_map(move |f| f.entries(name).iter().map(move |v| (f, v)))
    }
}

fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

fn find_key(text: &str, key: &str) -> usize {
    let candidates = [format!("[[{key}]]"), format!("[{key}]"), format!("{key} =")];
    candidates
        .iter()
        .filter_map(|c| text.find(c.as_str()))
        .min()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_has_file_line_column_and_caret() {
        let text = "[[group]]\nid = \"ttp\"\nname = \"Tehrik\n";
        let err = RuleFile::parse("rules/groups.toml", text).unwrap_err();
        assert_eq!(err.file, "rules/groups.toml");
        assert_eq!(err.line, 3);
        let shown = err.to_string();
        assert!(shown.starts_with("rules/groups.toml:3:"), "{shown}");
        assert!(shown.contains("3 | name = \"Tehrik"), "{shown}");
        assert!(shown.contains('^'), "{shown}");
    }

    #[test]
    fn unknown_table_is_reported_at_its_line() {
        let err = RulePack::from_sources([(
            "x.toml".to_string(),
            "\n[[grop]]\nid = \"a\"\n".to_string(),
        )])
        .unwrap_err();
        assert_eq!(err.errors.len(), 1);
        assert_eq!(err.errors[0].line, 2);
        assert!(err.errors[0].message.contains("unknown table `grop`"));
    }

    #[test]
    fn entry_error_points_at_its_id_line() {
        let text = "[[group]]\nid = \"a\"\n\n[[group]]\nid = \"ttp\"\naliases = [\"x\"]\n";
        let file = RuleFile::parse("g.toml", text).unwrap();
        let err = file.error(Some("ttp"), Some("\"x\""), "alias claimed twice");
        assert_eq!((err.line, err.column), (6, 12));
        assert_eq!(err.rule_id.as_deref(), Some("ttp"));
    }

    #[test]
    fn embedded_pack_loads() {
        RulePack::embedded().expect("the default pack parses");
    }
}
