//! Throughput of the pipeline, in bytes of input per second, on one thread.
//!
//! The input is the reference seed (`shared/seeds/...`, or the corpus when it
//! has documents) repeated as separate documents up to about 50 MB, so that
//! per-document costs (tables, caches, allocation) count as they do in a batch.
//!
//! ```sh
//! cargo bench --bench pipeline -- segment      # one group
//! FACTSIFT_CPU_BENCH=3 cargo bench --bench pipeline -- stages   # each stage's share
//! ```
use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, Criterion, Throughput};
use factsift::pipeline::{Stage, StageTimes};
use factsift::{document::Document, emit, segment::Segmenter, Pipeline, RulePack};

/// The allocator the command line uses (see `src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Documents whose texts add up to about `target` bytes.
fn documents(target: usize) -> Vec<Document> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root.join("corpus")) {
        let mut paths: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
            .collect();
        paths.sort();
        texts.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
    }
    for seed in [root.join("../shared/seeds/000_709fc2afe86d52ab.txt")] {
        if let Ok(t) = std::fs::read_to_string(seed) {
            texts.push(t);
        }
    }
    if texts.is_empty() {
        texts.push(
            "Prime Minister Shehbaz Sharif and U.S. Secretary of State Marco Rubio spoke on June 19, 2025.\n"
                .repeat(100),
        );
    }
    let mut docs = Vec::new();
    let mut total = 0;
    while total < target {
        for t in &texts {
            total += t.len();
            docs.push(Document::new(format!("d{}", docs.len()), t.clone()));
        }
    }
    docs
}

/// Documents per [`Pipeline::analyze_batch`] call: what the command line
/// uses, or `FACTSIFT_BATCH`.
fn batch_size() -> usize {
    std::env::var("FACTSIFT_BATCH")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(factsift::pipeline::BATCH)
}

fn bytes(docs: &[Document]) -> u64 {
    docs.iter().map(|d| d.text.len() as u64).sum()
}

/// Segments one document and writes it out with no other layer: the floor
/// of what any pipeline costs.
fn segment_and_emit(segmenter: &Segmenter, d: &Document, out: &mut Vec<u8>) {
    let analysis = factsift::Analysis {
        seg: segmenter.segment(&d.text),
        ..Default::default()
    };
    out.clear();
    emit::write(out, d, &analysis, false).expect("write to a Vec");
    black_box(&out);
}

/// Every stage over a batch, then each document's output, as `extract` does.
fn analyze_and_emit(pipeline: &Pipeline, batch: &[Document], out: &mut Vec<u8>) {
    for (d, analysis) in batch.iter().zip(pipeline.analyze_batch(batch)) {
        out.clear();
        emit::write(out, d, &analysis, false).expect("write to a Vec");
        black_box(&out);
    }
}

fn segment(c: &mut Criterion) {
    let docs = documents(50 << 20);
    let segmenter = Segmenter::new();
    let mut g = c.benchmark_group("segment");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes(&docs)));
    g.bench_function("50MB", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(segmenter.segment(&d.text));
            }
        })
    });
    g.finish();
}

fn segment_emit(c: &mut Criterion) {
    let docs = documents(50 << 20);
    let segmenter = Segmenter::new();
    let mut g = c.benchmark_group("segment+emit");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes(&docs)));
    let mut out = Vec::with_capacity(1 << 20);
    g.bench_function("50MB", |b| {
        b.iter(|| {
            for d in &docs {
                segment_and_emit(&segmenter, d, &mut out);
            }
        })
    });
    g.finish();
}

fn pipeline(c: &mut Criterion) {
    let docs = documents(10 << 20);
    let pack = RulePack::embedded().expect("default rules parse");
    let pipeline = Pipeline::new(&pack).expect("default rules compile");
    let mut g = c.benchmark_group("pipeline");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes(&docs)));
    let mut out = Vec::with_capacity(1 << 20);
    g.bench_function("10MB", |b| {
        b.iter(|| {
            for batch in docs.chunks(batch_size()) {
                analyze_and_emit(&pipeline, batch, &mut out);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, segment, segment_emit, pipeline);

/// CPU time this thread has run, in nanoseconds, so that a figure taken on
/// a shared, busy machine is not inflated by waiting for a core.
/// (`/proc/thread-self/schedstat` is only brought up to date at scheduler
/// ticks: too coarse for a stage's share of a batch.)
fn thread_cpu_ns() -> Option<u64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the call's duration.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64)
}

/// `FACTSIFT_CPU_BENCH=N cargo bench --bench pipeline [-- FILTER]`: runs each
/// group N times without criterion and prints throughput per CPU second of
/// this thread (best of N) as well as per wall-clock second.
fn cpu_bench(iters: usize, filter: &str) {
    let segmenter = Segmenter::new();
    let run = |name: &str, docs: &[Document], f: &mut dyn FnMut(&[Document])| {
        if !name.contains(filter) {
            return;
        }
        let total = bytes(docs) as f64;
        let (mut best_cpu, mut best_wall) = (f64::MAX, f64::MAX);
        for _ in 0..iters {
            let (c0, w0) = (thread_cpu_ns(), std::time::Instant::now());
            for batch in docs.chunks(batch_size()) {
                f(batch);
            }
            let wall = w0.elapsed().as_secs_f64();
            let cpu = match (c0, thread_cpu_ns()) {
                (Some(a), Some(b)) => (b - a) as f64 / 1e9,
                _ => wall,
            };
            best_cpu = best_cpu.min(cpu);
            best_wall = best_wall.min(wall);
        }
        println!(
            "{name}: {:.1} MB/s = {:.1} MiB/s per CPU second; {:.1} MB/s wall (best of {iters}, {:.1} MB)",
            total / best_cpu / 1e6,
            total / best_cpu / 1048576.0,
            total / best_wall / 1e6,
            total / 1e6
        );
    };
    let docs = documents(50 << 20);
    run("segment", &docs, &mut |batch| {
        for d in batch {
            black_box(segmenter.segment(&d.text));
        }
    });
    let mut out = Vec::with_capacity(1 << 20);
    run("segment+emit", &docs, &mut |batch| {
        for d in batch {
            segment_and_emit(&segmenter, d, &mut out);
        }
    });
    if "pipeline".contains(filter) {
        let docs = documents(10 << 20);
        let pack = RulePack::embedded().expect("default rules parse");
        let pipeline = Pipeline::new(&pack).expect("default rules compile");
        run("pipeline", &docs, &mut |batch| {
            analyze_and_emit(&pipeline, batch, &mut out);
        });
    }
}

/// `FACTSIFT_CPU_BENCH=N cargo bench --bench pipeline -- stages`: each
/// stage's own time over the 10 MB input (the run of N with the least
/// total), and what the value stages and the fact stage add to the rest of
/// the pipeline, the measure issues 4 and 5 budget (20% and 25%). Times are
/// this thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), so that waiting for a core
/// on a busy machine is not counted; else wall time. Unlike
/// `benches/stage_share.sh`, which removes rule files, this leaves every
/// later stage its usual input.
fn stage_times(iters: usize) {
    let start = std::time::Instant::now();
    let clock = || thread_cpu_ns().unwrap_or_else(|| start.elapsed().as_nanos() as u64);
    let docs = documents(10 << 20);
    let pack = RulePack::embedded().expect("default rules parse");
    let pipeline = Pipeline::new(&pack).expect("default rules compile");
    let mut out = Vec::with_capacity(1 << 20);
    let mut best: Option<(StageTimes, u64)> = None;
    for _ in 0..iters {
        let mut times = StageTimes::default();
        let mut emit_ns = 0u64;
        for batch in docs.chunks(batch_size()) {
            let analyses = pipeline.analyze_timed(batch, &mut times, clock);
            let t = clock();
            for (d, analysis) in batch.iter().zip(&analyses) {
                out.clear();
                emit::write(&mut out, d, analysis, false).expect("write to a Vec");
                black_box(&out);
            }
            emit_ns += clock().saturating_sub(t);
        }
        if best
            .as_ref()
            .is_none_or(|(b, e)| times.total() + emit_ns < b.total() + e)
        {
            best = Some((times, emit_ns));
        }
    }
    let Some((times, emit_ns)) = best else { return };
    let total = (times.total() + emit_ns) as f64;
    let mb = bytes(&docs) as f64 / 1e6;
    println!(
        "stages: {:.2} s for {mb:.1} MB ({:.1} MB/s per CPU second, best of {iters})",
        total / 1e9,
        mb / (total / 1e9)
    );
    for stage in Stage::ALL {
        let t = times.get(stage) as f64;
        println!(
            "  {:<9} {:>7.3} s  {:>5.1}%",
            stage.name(),
            t / 1e9,
            100.0 * t / total
        );
    }
    println!(
        "  {:<9} {:>7.3} s  {:>5.1}%",
        "emit",
        emit_ns as f64 / 1e9,
        100.0 * emit_ns as f64 / total
    );
    let adds = |t: f64| 100.0 * t / (total - t);
    let values = (times.get(Stage::Dates) + times.get(Stage::Numbers)) as f64;
    println!(
        "values (dates + numbers) add {:.1}% to the rest (budget 20%)",
        adds(values)
    );
    println!(
        "facts add {:.1}% to the rest (budget 25%)",
        adds(times.get(Stage::Facts) as f64)
    );
}

fn main() {
    if let Some(n) = std::env::var("FACTSIFT_CPU_BENCH")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        let filter = std::env::args()
            .skip(1)
            .find(|a| !a.starts_with('-'))
            .unwrap_or_default();
        if filter == "stages" {
            stage_times(n);
        } else {
            cpu_bench(n, &filter);
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
