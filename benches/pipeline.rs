//! Throughput of the pipeline stages (filled in by the benchmark work).
use criterion::{criterion_group, criterion_main, Criterion};

fn segment(c: &mut Criterion) {
    let text = "Prime Minister Shehbaz Sharif and U.S. Secretary of State Marco Rubio spoke on June 19, 2025.\n".repeat(100);
    let segmenter = factsift::segment::Segmenter::new();
    c.bench_function("segment", |b| b.iter(|| segmenter.segment(&text)));
}

criterion_group!(benches, segment);
criterion_main!(benches);
