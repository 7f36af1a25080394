//! Snapshot tests: the full `factsift/1` output of every corpus document
//! (and of the reference seed) is pinned with insta, so a reviewer sees every
//! change a stage makes as a diff in `tests/snapshots/`.
//!
//! New or changed documents: `cargo insta review` (or `INSTA_UPDATE=always
//! cargo test --test corpus`), then read and commit the `.snap` files. With
//! `INSTA_UPDATE=no` (CI) a missing or different snapshot fails the test.

use std::path::Path;

use factsift::ingest::{is_document, text_document};
use factsift::{emit, Pipeline, RulePack};

fn pipeline() -> Pipeline {
    Pipeline::new(&RulePack::embedded().expect("default rules parse"))
        .expect("default rules compile")
}

/// The output for a file, with its source shown relative to the crate so
/// that snapshots do not depend on where the repository is checked out.
fn output(pipeline: &Pipeline, path: &Path) -> serde_json::Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shown = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(path).expect("corpus file is readable");
    let markdown = path.extension().is_some_and(|e| e == "md");
    let doc = text_document(&shown, &id, bytes, markdown, None).expect("corpus file ingests");
    let analysis = pipeline.analyze(&doc);
    emit::to_json(&doc, &analysis)
}

#[test]
fn corpus_documents() {
    let pipeline = pipeline();
    let mut settings = insta::Settings::clone_current();
    // The corpus may be empty (documents arrive from their own branch).
    settings.set_allow_empty_glob(true);
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("../corpus", "*.{txt,md}", |path| {
            if !is_document(path) {
                return;
            }
            insta::assert_json_snapshot!("corpus", output(&pipeline, path));
        });
    });
}

/// The reference article lives in `../shared/seeds/` beside the repository
/// and is not copied into it: the test runs where it is present and is
/// skipped (with a note) where it is not.
#[test]
fn reference_seed() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/000_709fc2afe86d52ab.txt");
    if !path.exists() {
        eprintln!("skipped: {} is not present", path.display());
        return;
    }
    let pipeline = pipeline();
    let mut out = output(&pipeline, &path);
    out["document"]["source"] = serde_json::Value::from("../shared/seeds/000_709fc2afe86d52ab.txt");
    insta::assert_json_snapshot!("seed", out);
}
