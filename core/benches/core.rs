//! Criterion benchmarks of the hot paths: decode, EIP-712 hash + recovery, the root of a
//! full 65,536-transaction block, and proof generation. Run with `cargo bench -p plasma-core`.
#![allow(missing_docs)] // criterion_group! generates an undocumented public function.

use alloy::primitives::{Address, B256};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use plasma_core::{
    merkle::{MAX_LEAVES, MerkleTree, block_root, leaf_hash},
    sign::{domain, recover, sign, signing_hash},
    tx::Transaction,
    vectors::{keys, valid_transactions},
};
use std::hint::black_box;

fn decode(c: &mut Criterion) {
    let txs = valid_transactions();
    let (_, four) = &txs[2];
    let bytes = four.encode();
    c.bench_function("decode/payment_4in_4out", |b| {
        b.iter(|| Transaction::decode(black_box(&bytes)).unwrap())
    });
    let one = txs[0].1.encode();
    c.bench_function("decode/payment_1in_1out", |b| {
        b.iter(|| Transaction::decode(black_box(&one)).unwrap())
    });
    c.bench_function("encode/payment_4in_4out", |b| {
        b.iter(|| black_box(four).encode())
    });
}

fn signatures(c: &mut Criterion) {
    let (_, tx) = &valid_transactions()[2];
    let d = domain(31337, Address::repeat_byte(0x42));
    let key = &keys()[0];
    let sig = sign(key, tx, &d).unwrap();
    let hash = signing_hash(tx, &d);
    c.bench_function("eip712/signing_hash_4in_4out", |b| {
        b.iter(|| signing_hash(black_box(tx), &d))
    });
    c.bench_function("eip712/recover", |b| {
        b.iter(|| recover(black_box(hash), &sig).unwrap())
    });
    c.bench_function("eip712/hash_and_recover", |b| {
        b.iter(|| recover(signing_hash(black_box(tx), &d), &sig).unwrap())
    });
}

fn merkle(c: &mut Criterion) {
    // 65,536 distinct payments: the first representative one with the index as metadata.
    let template = valid_transactions()[0].1.encode().to_vec();
    let txs: Vec<Vec<u8>> = (0..MAX_LEAVES as u64)
        .map(|i| {
            let mut bytes = template.clone();
            let len = bytes.len();
            bytes[len - 8..].copy_from_slice(&i.to_be_bytes());
            bytes
        })
        .collect();
    let leaves: Vec<B256> = txs.iter().map(|t| leaf_hash(t)).collect();
    let mut group = c.benchmark_group("merkle");
    group.sample_size(20);
    group.bench_function("root_65536_leaves", |b| {
        b.iter_batched(
            || leaves.clone(),
            |l| MerkleTree::new(l).unwrap().root(),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("block_root_65536_txs", |b| {
        b.iter(|| block_root(black_box(&txs)).unwrap())
    });
    let tree = MerkleTree::new(leaves).unwrap();
    group.bench_function("proof_from_built_tree", |b| {
        b.iter(|| tree.proof(black_box(40_000)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, decode, signatures, merkle);
criterion_main!(benches);
