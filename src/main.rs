//! The `factsift` command line.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use factsift::document::parse_date;
use factsift::ingest::{expand, Documents, Source};
use factsift::rules::RulePack;
use factsift::{emit, eval, Analysis, Pipeline};

/// mimalloc instead of the system allocator: the pipeline makes many small,
/// short-lived allocations (spans' strings, facts' arguments), and glibc's
/// malloc and free took about a sixth of its instructions.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// factsift turns English policy and security texts into structured JSON
/// facts: groups, officials, organizations and places; TIMEX3 dates; counts,
/// quantities and money; and what happened, each with the exact span of text
/// that supports it.
#[derive(Parser)]
#[command(
    name = "factsift",
    version,
    about,
    long_about = None,
    after_help = "Examples:
  factsift extract corpus/ --jsonl > facts.jsonl     every article of a folder, one JSON per line
  factsift extract article.md                         one article, pretty JSON
  factsift extract batch.jsonl --jsonl                JSONL records {\"id\", \"text\", \"date\"}
  cat article.txt | factsift extract - --date 2025-06-20   standard input, with a document date
  factsift check rules/                               validate a rule pack and run its examples
  factsift review article.txt --html article.html     highlighted page for a reviewer
  factsift eval corpus/                               precision / recall / F1 against NAME.gold.json

Exit codes: 0 done; 1 some documents failed (named on stderr); 2 usage or rule-pack error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract facts from documents and print factsift/1 JSON.
    ///
    /// INPUT is a .txt or .md file, a directory of them (read recursively, in
    /// path order; READMEs skipped), `-` for standard input, or a .jsonl file
    /// whose lines are {"id": ..., "text": ..., "date": ...} (other fields are
    /// kept under document.meta). A .md file may start with front matter
    /// (date, title, source). One document prints one pretty JSON object;
    /// --jsonl prints one compact object per line, in input order (without
    /// it, several documents print pretty objects one after another).
    ///
    /// Exit codes: 0 all documents done; 1 some failed (each named on stderr,
    /// the others all in the output); 2 usage or rule-pack error.
    Extract {
        /// Files, directories, `-` (stdin) or .jsonl files.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<String>,
        /// Use this rule pack instead of the built-in one (repeatable; a later
        /// directory wins for the same id).
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
        /// Add this directory of rules on top of the pack (repeatable).
        #[arg(long = "extra-rules", value_name = "DIR")]
        extra_rules: Vec<PathBuf>,
        /// Document date (YYYY-MM-DD) that anchors "last week", "on Friday"
        /// for documents that do not give their own.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// One compact JSON object per line.
        #[arg(long)]
        jsonl: bool,
        /// Worker threads (default: all cores). Output is the same for any N.
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// Write the output here instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Validate a rule pack: parse every file, compile every rule, run every
    /// rule's examples, report every problem as file:line:column.
    ///
    /// Exit codes: 0 the pack is sound; 2 it is not (nothing else is done).
    Check {
        /// Rule pack directories (a later one layers on top).
        #[arg(required = true, value_name = "RULES_DIR")]
        dirs: Vec<PathBuf>,
    },
    /// Write a self-contained HTML page for reviewing one document: the text
    /// with entity mentions, values and fact evidence highlighted (hover for
    /// the id, normalized value and rule), then tables of facts, entities and
    /// values.
    ///
    /// Exit codes: 0 written; 1 the document could not be read; 2 usage or
    /// rule-pack error.
    Review {
        /// A .txt or .md file, or `-` for standard input.
        #[arg(value_name = "FILE")]
        file: String,
        /// Where to write the page.
        #[arg(long, value_name = "OUT.html")]
        html: PathBuf,
        /// Use this rule pack instead of the built-in one (repeatable).
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
        /// Add this directory of rules on top of the pack (repeatable).
        #[arg(long = "extra-rules", value_name = "DIR")]
        extra_rules: Vec<PathBuf>,
        /// Document date (YYYY-MM-DD) when the file does not give one.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Score extractions against hand-written gold files: precision, recall
    /// and F1 per entity type, value type and fact kind, then every miss and
    /// false hit.
    ///
    /// Simplest: `factsift eval corpus/` extracts every document of corpus/
    /// that has a NAME.gold.json beside it and scores it. With --gold DIR,
    /// PRED holds the predictions: a .jsonl (or .json) file of `factsift
    /// extract` outputs, or a directory of them; documents (.txt, .md) in a
    /// PRED directory that have a gold file but no saved output are extracted.
    /// Outputs are paired with NAME.gold.json by their document.id.
    ///
    /// Matching: an entity by id (or by type and one of its mentions); a value
    /// by type and exact text, correct when its value (and qualifier, when the
    /// gold gives one) agrees; a fact by kind when every gold argument is
    /// present and equal (value arguments compare by normalized value; lists
    /// as sets).
    ///
    /// Exit codes: 0 scored; 1 some documents could not be scored (named on
    /// stderr; their gold items count as misses); 2 usage error (no gold files,
    /// bad rule pack).
    Eval {
        /// Directory of NAME.gold.json files (default: PRED, when it is a
        /// directory).
        #[arg(long, value_name = "DIR")]
        gold: Option<PathBuf>,
        /// Predictions: a corpus directory, a directory of outputs, or a
        /// .jsonl file of outputs.
        #[arg(value_name = "PRED")]
        pred: PathBuf,
        /// Print the scores, misses and false hits as one JSON object.
        #[arg(long)]
        json: bool,
        /// Rule pack used when documents are extracted (default: built-in).
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
        /// Add this directory of rules on top of the pack (repeatable).
        #[arg(long = "extra-rules", value_name = "DIR")]
        extra_rules: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract {
            inputs,
            rules,
            extra_rules,
            date,
            jsonl,
            threads,
            output,
        } => extract(inputs, rules, extra_rules, date, jsonl, threads, output),
        Command::Check { dirs } => check(dirs),
        Command::Review {
            file,
            html,
            rules,
            extra_rules,
            date,
        } => review(file, html, rules, extra_rules, date),
        Command::Eval {
            gold,
            pred,
            json,
            rules,
            extra_rules,
        } => eval(gold, pred, json, rules, extra_rules),
    }
}

/// The pack (built-in or `--rules`, plus `--extra-rules`) compiled into a
/// pipeline; the error is the pack's report, ready to print.
fn build_pipeline(rules: &[PathBuf], extra: &[PathBuf]) -> Result<Pipeline, String> {
    let pack = load_pack(rules, extra)?;
    let pipeline = Pipeline::new(&pack).map_err(|e| e.to_string());
    // The command ends soon after: freeing the pack's tree of TOML values
    // one by one would only delay it (the process exit frees it at once).
    std::mem::forget(pack);
    pipeline
}

/// What `extract` and `review` start from: the `--date` and the pipeline.
/// A bad date or rule pack is reported on stderr and gives exit code 2.
fn setup(
    date: Option<&str>,
    rules: &[PathBuf],
    extra: &[PathBuf],
) -> Result<(Option<chrono::NaiveDate>, Pipeline), ExitCode> {
    let default_date = date.map(parse_date).transpose().map_err(|e| {
        eprintln!("factsift: --date: {e}");
        ExitCode::from(2)
    })?;
    let pipeline = build_pipeline(rules, extra).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(2)
    })?;
    Ok((default_date, pipeline))
}

fn load_pack(rules: &[PathBuf], extra: &[PathBuf]) -> Result<RulePack, String> {
    let base = if rules.is_empty() {
        RulePack::embedded()
    } else {
        RulePack::from_dirs(rules)
    }
    .map_err(|e| e.to_string())?;
    if extra.is_empty() {
        return Ok(base);
    }
    let more = RulePack::from_dirs(extra).map_err(|e| e.to_string())?;
    Ok(base.layer(more))
}

fn check(dirs: Vec<PathBuf>) -> ExitCode {
    let pack = match RulePack::from_dirs(&dirs) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match Pipeline::new(&pack) {
        Ok(pipeline) => {
            let examples = factsift::pipeline::examples(&pack);
            let failures = pipeline.check_examples(&pack, &examples);
            if failures.is_empty() {
                println!(
                    "ok: {} rule files, {} examples hold",
                    pack.files.len(),
                    examples.len()
                );
                ExitCode::SUCCESS
            } else {
                for f in &failures {
                    eprintln!("{f}\n");
                }
                eprintln!("{} of {} examples fail", failures.len(), examples.len());
                ExitCode::from(2)
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// Analyzes and serializes a batch of documents (read errors pass through),
/// stage by stage over the batch ([`Pipeline::analyze_batch`]). A bug in a
/// stage that panics on some input fails that document only (named on
/// stderr), never the batch: after a panic each document runs again alone.
fn render_batch(
    pipeline: &Pipeline,
    batch: Vec<Result<factsift::Document, factsift::ingest::DocError>>,
    pretty: bool,
) -> Vec<Result<Vec<u8>, String>> {
    // The documents that were read, and per entry its read error or none.
    let mut docs = Vec::with_capacity(batch.len());
    let errors: Vec<Option<String>> = batch
        .into_iter()
        .map(|d| match d {
            Ok(doc) => {
                docs.push(doc);
                None
            }
            Err(e) => Some(e.to_string()),
        })
        .collect();
    let analyses = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pipeline.analyze_batch(&docs)
    }))
    .ok();
    let mut done =
        docs.iter()
            .enumerate()
            .map(|(i, doc)| match analyses.as_ref().and_then(|a| a.get(i)) {
                Some(a) => guarded(doc, || serialize(doc, a, pretty)),
                None => render(pipeline, doc, pretty),
            });
    errors
        .into_iter()
        .map(|e| match e {
            Some(e) => Err(e),
            None => done
                .next()
                .unwrap_or_else(|| Err("a document went missing".into())),
        })
        .collect()
}

fn serialize(
    doc: &factsift::Document,
    analysis: &Analysis,
    pretty: bool,
) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    emit::write(&mut buf, doc, analysis, pretty)
        .map(|_| buf)
        .map_err(|e| format!("{}: cannot serialize: {e}", doc.source))
}

/// Analyzes and serializes one document, failing it alone if a stage panics.
fn render(pipeline: &Pipeline, doc: &factsift::Document, pretty: bool) -> Result<Vec<u8>, String> {
    guarded(doc, || serialize(doc, &pipeline.analyze(doc), pretty))
}

/// `run` for `doc`, a panic in it failing that document alone (named).
fn guarded(
    doc: &factsift::Document,
    run: impl FnOnce() -> Result<Vec<u8>, String>,
) -> Result<Vec<u8>, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|_| {
        Err(format!(
            "{}: internal error while extracting (a bug: please report it with this document)",
            doc.source
        ))
    })
}

#[allow(clippy::too_many_arguments)]
fn extract(
    inputs: Vec<String>,
    rules: Vec<PathBuf>,
    extra_rules: Vec<PathBuf>,
    date: Option<String>,
    jsonl: bool,
    threads: Option<usize>,
    output: Option<PathBuf>,
) -> ExitCode {
    let (default_date, pipeline) = match setup(date.as_deref(), &rules, &extra_rules) {
        Ok(both) => both,
        Err(code) => return code,
    };
    // Left to the process exit to free, like the pack (see build_pipeline).
    let pipeline = std::mem::ManuallyDrop::new(pipeline);
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("factsift: cannot start worker threads: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out: Box<dyn Write> = match &output {
        Some(path) => match File::create(path) {
            Ok(f) => Box::new(BufWriter::new(f)),
            Err(e) => {
                eprintln!("factsift: {}: cannot write: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let (sources, mut failures) = {
        let (s, errors) = expand(&inputs);
        for e in &errors {
            eprintln!("factsift: error: {e}");
        }
        (s, errors.len())
    };
    let progress = if io::stderr().is_terminal() {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} documents {per_sec} [{elapsed_precise}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Some(bar)
    } else {
        None
    };
    let pretty = !jsonl;
    let batch = factsift::pipeline::BATCH;
    let chunk_size = 4 * batch * pool.current_num_threads().max(1);
    let mut docs = Documents::new(sources, default_date);
    loop {
        let mut chunk: Vec<_> = docs.by_ref().take(chunk_size).collect();
        if chunk.is_empty() {
            break;
        }
        let mut batches = Vec::new();
        while !chunk.is_empty() {
            let rest = chunk.split_off(batch.min(chunk.len()));
            batches.push(std::mem::replace(&mut chunk, rest));
        }
        let rendered: Vec<Result<Vec<u8>, String>> = pool.install(|| {
            batches
                .into_par_iter()
                .flat_map_iter(|b| render_batch(&pipeline, b, pretty))
                .collect()
        });
        for r in rendered {
            match r {
                Ok(bytes) => {
                    if let Err(e) = out.write_all(&bytes) {
                        eprintln!("factsift: cannot write output: {e}");
                        return ExitCode::from(2);
                    }
                }
                Err(e) => {
                    failures += 1;
                    if let Some(bar) = &progress {
                        bar.suspend(|| eprintln!("factsift: error: {e}"));
                    } else {
                        eprintln!("factsift: error: {e}");
                    }
                }
            }
            if let Some(bar) = &progress {
                bar.inc(1);
            }
        }
    }
    if let Err(e) = out.flush() {
        eprintln!("factsift: cannot write output: {e}");
        return ExitCode::from(2);
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if failures > 0 {
        eprintln!("factsift: {failures} document(s) failed");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads every `factsift/1` object of a file (JSONL, or pretty objects one
/// after another) into `out`, keyed by document id.
fn read_outputs(path: &Path, out: &mut BTreeMap<String, serde_json::Value>) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let stream = serde_json::Deserializer::from_str(&text).into_iter::<serde_json::Value>();
    for item in stream {
        let j = item.map_err(|e| {
            format!(
                "{}: line {}, column {}: not factsift output: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        match j["document"]["id"].as_str() {
            Some(id) => {
                out.insert(id.to_string(), j);
            }
            None => {
                return Err(format!(
                    "{}: an object without document.id (not factsift output)",
                    path.display()
                ))
            }
        }
    }
    Ok(())
}

fn eval(
    gold: Option<PathBuf>,
    pred: PathBuf,
    json: bool,
    rules: Vec<PathBuf>,
    extra_rules: Vec<PathBuf>,
) -> ExitCode {
    let gold_dir = match gold {
        Some(g) => g,
        None if pred.is_dir() => pred.clone(),
        None => {
            eprintln!("factsift eval: give --gold DIR when PRED is a file");
            return ExitCode::from(2);
        }
    };
    let golds = match eval::gold_files(&gold_dir) {
        Ok(g) if !g.is_empty() => g,
        Ok(_) => {
            eprintln!(
                "factsift eval: {}: no NAME.gold.json files",
                gold_dir.display()
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("factsift eval: {e}");
            return ExitCode::from(2);
        }
    };
    if !pred.exists() {
        eprintln!(
            "factsift eval: {}: no such file or directory",
            pred.display()
        );
        return ExitCode::from(2);
    }
    let mut failures = 0usize;
    let mut outputs = BTreeMap::new();
    let mut documents = Vec::new();
    if pred.is_dir() {
        let mut files = Vec::new();
        eval::output_files(&pred, &mut files);
        for f in files {
            if let Err(e) = read_outputs(&f, &mut outputs) {
                eprintln!("factsift eval: error: {e}");
                failures += 1;
            }
        }
        let (sources, errors) = expand(&[pred.display().to_string()]);
        for e in errors {
            eprintln!("factsift eval: error: {e}");
            failures += 1;
        }
        // Documents with a gold file and no saved output are extracted.
        documents = sources
            .into_iter()
            .filter(|s| {
                let Source::Text(p) = s else {
                    return false;
                };
                p.file_stem()
                    .and_then(|x| x.to_str())
                    .is_some_and(|id| golds.contains_key(id) && !outputs.contains_key(id))
            })
            .collect();
    } else if let Err(e) = read_outputs(&pred, &mut outputs) {
        eprintln!("factsift eval: error: {e}");
        return ExitCode::from(1);
    }
    if !documents.is_empty() {
        let pipeline = match build_pipeline(&rules, &extra_rules) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
        let done: Vec<Result<(String, serde_json::Value), String>> =
            Documents::new(documents, None)
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|d| {
                    let d = d.map_err(|e| e.to_string())?;
                    let a = pipeline.analyze(&d);
                    Ok((d.id.clone(), emit::to_json(&d, &a)))
                })
                .collect();
        for r in done {
            match r {
                Ok((id, j)) => {
                    outputs.insert(id, j);
                }
                Err(e) => {
                    eprintln!("factsift eval: error: {e}");
                    failures += 1;
                }
            }
        }
    }
    let mut report = eval::Report::default();
    for (id, path) in &golds {
        let gold = match eval::Gold::load(path) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("factsift eval: error: {e}");
                failures += 1;
                continue;
            }
        };
        let empty = serde_json::Value::Null;
        let pred = match outputs.get(id) {
            Some(p) => p,
            None => {
                eprintln!(
                    "factsift eval: error: {id}: no prediction for {} (its gold items count as misses)",
                    path.display()
                );
                failures += 1;
                &empty
            }
        };
        report.add(id, &gold, pred);
    }
    let text = if json {
        serde_json::to_string_pretty(&report.to_json()).unwrap_or_default() + "\n"
    } else {
        report.render()
    };
    if let Err(e) = io::stdout().lock().write_all(text.as_bytes()) {
        eprintln!("factsift: cannot write output: {e}");
        return ExitCode::from(2);
    }
    if failures > 0 {
        eprintln!("factsift eval: {failures} document(s) could not be scored");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn review(
    file: String,
    html: PathBuf,
    rules: Vec<PathBuf>,
    extra_rules: Vec<PathBuf>,
    date: Option<String>,
) -> ExitCode {
    let (default_date, pipeline) = match setup(date.as_deref(), &rules, &extra_rules) {
        Ok(both) => both,
        Err(code) => return code,
    };
    let (sources, errors) = expand(std::slice::from_ref(&file));
    if let Some(e) = errors.first() {
        eprintln!("factsift: error: {e}");
        return ExitCode::from(1);
    }
    let doc = match Documents::new(sources, default_date).next() {
        Some(Ok(doc)) => doc,
        Some(Err(e)) => {
            eprintln!("factsift: error: {e}");
            return ExitCode::from(1);
        }
        None => {
            eprintln!("factsift: error: {file}: no document");
            return ExitCode::from(1);
        }
    };
    let analysis = pipeline.analyze(&doc);
    let page = factsift::review::html(&doc, &analysis);
    if let Err(e) = std::fs::write(&html, page) {
        eprintln!("factsift: {}: cannot write: {e}", html.display());
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
