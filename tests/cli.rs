//! The command line, end to end: exit codes, inputs (files, directories,
//! stdin, JSONL), per-document errors, rule-pack errors, determinism.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value as Json;

fn factsift() -> Command {
    Command::cargo_bin("factsift").expect("the factsift binary is built")
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A corpus article the CLI tests read (the reference seed is not copied
/// into the repository).
fn seed() -> PathBuf {
    root().join("corpus/08_isk_abbey_gate_analysis.txt")
}

const SEED_ID: &str = "08_isk_abbey_gate_analysis";

fn stdout_json_lines(out: &[u8]) -> Vec<Json> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is a JSON object"))
        .collect()
}

#[test]
fn help_names_every_command() {
    factsift()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("extract"))
        .stdout(predicate::str::contains("check"))
        .stdout(predicate::str::contains("review"))
        .stdout(predicate::str::contains("eval"));
}

#[test]
fn usage_errors_exit_2() {
    factsift().assert().code(2);
    factsift().arg("frobnicate").assert().code(2);
    factsift().arg("extract").assert().code(2);
}

#[test]
fn one_file_prints_one_pretty_object() {
    let out = factsift().arg("extract").arg(seed()).assert().success();
    let stdout = &out.get_output().stdout;
    let text = String::from_utf8_lossy(stdout);
    assert!(
        text.starts_with("{\n  \"schema\": \"factsift/1\""),
        "{text}"
    );
    let j: Json = serde_json::from_slice(stdout).expect("one JSON object");
    assert_eq!(j["document"]["id"], SEED_ID);
    let text = fs::read_to_string(seed()).expect("corpus article");
    assert_eq!(j["document"]["chars"], text.chars().count());
    assert!(j["document"]["sentences"].as_u64().unwrap_or(0) > 10);
}

#[test]
fn stdin_is_a_document() {
    let out = factsift()
        .args(["extract", "-", "--jsonl", "--date", "2025-06-20"])
        .write_stdin("Talks were held in Islamabad. The U.S. Secretary spoke.")
        .assert()
        .success();
    let docs = stdout_json_lines(&out.get_output().stdout);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["document"]["id"], "stdin");
    assert_eq!(docs[0]["document"]["source"], "-");
    assert_eq!(docs[0]["document"]["date"], "2025-06-20");
    assert_eq!(docs[0]["document"]["sentences"], 2);
}

#[test]
fn jsonl_in_and_out_keeps_order_ids_dates_and_meta() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("batch.jsonl");
    fs::write(
        &input,
        concat!(
            r#"{"id": "a1", "text": "First text.", "date": "2024-03-13", "lang": "en", "tags": ["x"]}"#,
            "\n\n",
            r#"{"id": 7, "text": "Second text."}"#,
            "\n"
        ),
    )
    .expect("write");
    let out = factsift()
        .arg("extract")
        .arg(&input)
        .arg("--jsonl")
        .assert()
        .success();
    let docs = stdout_json_lines(&out.get_output().stdout);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["document"]["id"], "a1");
    assert_eq!(docs[0]["document"]["date"], "2024-03-13");
    assert_eq!(docs[0]["document"]["meta"]["lang"], "en");
    assert_eq!(docs[0]["document"]["meta"]["tags"][0], "x");
    assert!(docs[0]["document"]["source"]
        .as_str()
        .is_some_and(|s| s.ends_with("batch.jsonl:1")));
    assert_eq!(docs[1]["document"]["id"], "7");
    assert!(docs[1]["document"].get("meta").is_none());
}

#[test]
fn markdown_front_matter_gives_date_and_title() {
    let dir = tempfile::tempdir().expect("temp dir");
    let md = dir.path().join("kech.md");
    fs::write(
        &md,
        "---\ndate: 2024-03-13\ntitle: Blast in Kech\nsource: wire\n---\nThree policemen were killed.\n",
    )
    .expect("write");
    let out = factsift().arg("extract").arg(&md).assert().success();
    let j: Json = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(j["document"]["id"], "kech");
    assert_eq!(j["document"]["date"], "2024-03-13");
    assert_eq!(j["document"]["title"], "Blast in Kech");
    assert_eq!(j["document"]["meta"]["source"], "wire");
    assert_eq!(
        j["document"]["chars"],
        "Three policemen were killed.\n".len()
    );
}

#[test]
fn invalid_utf8_file_is_named_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("a.txt"), "Good one.").expect("write");
    fs::write(dir.path().join("b.txt"), b"Bad \xff byte.").expect("write");
    fs::create_dir(dir.path().join("sub")).expect("mkdir");
    fs::write(dir.path().join("sub/c.md"), "Good two.").expect("write");
    fs::write(dir.path().join("README.md"), "Not a document.").expect("write");
    fs::write(dir.path().join("notes.json"), "{}").expect("write");
    let out = factsift()
        .arg("extract")
        .arg(dir.path())
        .arg("--jsonl")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("b.txt: byte 4: invalid UTF-8"))
        .stderr(predicate::str::contains("1 document(s) failed"));
    let ids: Vec<String> = stdout_json_lines(&out.get_output().stdout)
        .iter()
        .map(|d| d["document"]["id"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(ids, vec!["a", "c"]);
}

#[test]
fn malformed_jsonl_line_is_named_and_the_others_come_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("b.jsonl");
    fs::write(
        &input,
        "{\"id\": \"one\", \"text\": \"A.\"}\n{\"id\": \"two\", \"text\": \n{\"text\": \"no id\"}\n\"just a string\"\n{\"id\": \"five\", \"text\": \"E.\", \"date\": \"June 5\"}\n{\"id\": \"six\", \"text\": \"F.\"}\n",
    )
    .expect("write");
    let out = factsift()
        .arg("extract")
        .arg(&input)
        .arg("--jsonl")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("b.jsonl: line 2, column"))
        .stderr(predicate::str::contains(
            "b.jsonl: line 3: record has no \"id\"",
        ))
        .stderr(predicate::str::contains(
            "b.jsonl: line 4: a record must be a JSON object",
        ))
        .stderr(predicate::str::contains("b.jsonl: line 5: invalid date"))
        .stderr(predicate::str::contains("4 document(s) failed"));
    let ids: Vec<String> = stdout_json_lines(&out.get_output().stdout)
        .iter()
        .map(|d| d["document"]["id"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(ids, vec!["one", "six"]);
}

#[test]
fn missing_file_is_named_and_the_others_come_out() {
    factsift()
        .arg("extract")
        .arg("no/such/file.txt")
        .arg(seed())
        .arg("--jsonl")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no/such/file.txt: no such file or directory",
        ))
        .stdout(predicate::str::contains(format!("\"id\":\"{SEED_ID}\"")));
}

#[test]
fn bad_date_is_a_usage_error() {
    factsift()
        .arg("extract")
        .arg(seed())
        .args(["--date", "20-06-2025"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("--date"));
}

fn broken_rules() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("groups.toml"),
        "[[group]]\nid = \"ttp\"\nname = \"Tehrik-i-Taliban Pakistan\"\naliases = [\"TTP\"\n",
    )
    .expect("write");
    fs::write(dir.path().join("typo.toml"), "\n[[gruop]]\nid = \"x\"\n").expect("write");
    dir
}

#[test]
fn check_reports_a_broken_pack_with_file_line_column() {
    let dir = broken_rules();
    factsift()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::is_match(r"groups\.toml:\d+:\d+: ").expect("regex"))
        .stderr(
            predicate::str::is_match(r"typo\.toml:2:\d+: .*unknown table `gruop`").expect("regex"),
        );
}

#[test]
fn extract_with_a_broken_pack_extracts_nothing() {
    let dir = broken_rules();
    factsift()
        .arg("extract")
        .arg(seed())
        .arg("--rules")
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::is_match(r"groups\.toml:\d+:\d+: ").expect("regex"));
    factsift()
        .arg("extract")
        .arg(seed())
        .arg("--rules")
        .arg("no/such/rules")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty());
}

#[test]
fn check_accepts_the_default_pack() {
    factsift()
        .arg("check")
        .arg(root().join("rules"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ok: "));
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let run = |threads: &str| {
        factsift()
            .arg("extract")
            .arg(root().join("corpus"))
            .arg(root().join("tests/data"))
            .args(["--jsonl", "--threads", threads])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
    assert_eq!(one, run("3"));
}

#[test]
fn output_file_gets_the_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.jsonl");
    factsift()
        .arg("extract")
        .arg(seed())
        .arg("--jsonl")
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let written = fs::read_to_string(&out).expect("written");
    assert_eq!(written.lines().count(), 1);
}

fn eval_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::copy(seed(), dir.path().join("seed.txt")).expect("copy");
    fs::write(
        dir.path().join("seed.gold.json"),
        r#"{"entities": [{"type": "group", "id": "group:ttp", "mentions": ["TTP"]}],
            "values": [{"type": "date", "text": "June 19, 2025", "value": "2025-06-19"}],
            "facts": [{"kind": "meeting", "args": {"time": "2025-06-19"}}]}"#,
    )
    .expect("write");
    fs::write(dir.path().join("other.txt"), "No gold for this one.").expect("write");
    dir
}

#[test]
fn eval_a_corpus_directory_extracts_and_scores() {
    let dir = eval_corpus();
    let out = factsift()
        .arg("eval")
        .arg(dir.path())
        .arg("--json")
        .assert()
        .success();
    let j: Json = serde_json::from_slice(&out.get_output().stdout).expect("JSON report");
    assert_eq!(j["documents"], 1);
    let o = &j["overall"];
    assert_eq!(
        o["tp"].as_u64().unwrap_or(0) + o["fn"].as_u64().unwrap_or(0),
        3
    );
    for key in ["entity/group", "value/date", "fact/meeting"] {
        assert!(j["categories"].get(key).is_some(), "{key} in {j}");
    }
    factsift()
        .arg("eval")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("precision"))
        .stdout(predicate::str::contains("overall"))
        .stdout(predicate::str::contains("misses ("));
}

#[test]
fn eval_saved_outputs_against_a_gold_directory() {
    let dir = eval_corpus();
    let preds = tempfile::tempdir().expect("temp dir");
    let jsonl = preds.path().join("out.jsonl");
    factsift()
        .arg("extract")
        .arg(dir.path())
        .arg("--jsonl")
        .arg("-o")
        .arg(&jsonl)
        .assert()
        .success();
    let from_file = factsift()
        .arg("eval")
        .arg("--gold")
        .arg(dir.path())
        .arg(&jsonl)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let from_dir = factsift()
        .arg("eval")
        .arg("--gold")
        .arg(dir.path())
        .arg(preds.path())
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(from_file, from_dir);
    let direct = factsift()
        .arg("eval")
        .arg(dir.path())
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(from_file, direct);
}

#[test]
fn eval_exit_codes() {
    let empty = tempfile::tempdir().expect("temp dir");
    factsift()
        .arg("eval")
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no NAME.gold.json files"));
    let dir = eval_corpus();
    // A gold file whose document has no prediction: named, scored as misses.
    fs::write(dir.path().join("lost.gold.json"), r#"{"entities": []}"#).expect("write");
    fs::write(dir.path().join("broken.gold.json"), "{").expect("write");
    factsift()
        .arg("eval")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("lost: no prediction"))
        .stderr(predicate::str::contains("broken.gold.json: line 1"));
}

#[test]
fn review_writes_a_self_contained_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("seed.html");
    factsift()
        .arg("review")
        .arg(seed())
        .arg("--html")
        .arg(&page)
        .assert()
        .success();
    let html = fs::read_to_string(&page).expect("written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<h2>Facts</h2>"));
    assert!(html.contains("Hamid Karzai International Airport"));
    assert!(!html.contains("src=\"http"), "no external resources");
    factsift()
        .arg("review")
        .arg("no/such.txt")
        .arg("--html")
        .arg(&page)
        .assert()
        .code(1);
    factsift().arg("review").arg(seed()).assert().code(2);
}

#[test]
fn pretty_and_jsonl_carry_the_same_object() {
    let pretty = factsift().arg("extract").arg(seed()).assert().success();
    let jsonl = factsift()
        .arg("extract")
        .arg(seed())
        .arg("--jsonl")
        .assert()
        .success();
    let a: Json = serde_json::from_slice(&pretty.get_output().stdout).expect("JSON");
    let lines = stdout_json_lines(&jsonl.get_output().stdout);
    assert_eq!(lines, vec![a]);
}

#[test]
fn unwritable_output_is_a_usage_error() {
    factsift()
        .arg("extract")
        .arg(seed())
        .arg("-o")
        .arg("/no/such/dir/out.json")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write"));
}
