//! The cross-language property test: random transactions, proofs and signatures, and
//! random corruptions of them, judged by the Rust core and by the real Solidity
//! libraries (`CoreHarness` on anvil, through `eth_call`). Both must give the same
//! verdict, and for rejections the same error with the same arguments.
//! Cases per property: `PROPTEST_CASES` (default 256).

use alloy::{
    node_bindings::AnvilInstance,
    primitives::{Address, B256, Bytes, U256},
    providers::DynProvider,
    signers::local::PrivateKeySigner,
};
use plasma_bindings::{
    CoreHarness::{self, CoreHarnessErrors as SolError, CoreHarnessInstance},
    test_utils::{deploy_core_harness, spawn_anvil, wallet_provider},
};
use plasma_core::{
    arbitrary::{arb_amount, arb_owner, arb_token, arb_transaction},
    deposit::{deposit_root, deposit_tx},
    merkle::{MerkleError, MerkleTree, leaf_hash, verify},
    sign::{
        HALF_ORDER, SECP256K1_ORDER as ORDER, SigError, domain, recover, sign_hash, signing_hash,
    },
    tx::{DecodeError, Transaction},
};
use proptest::{
    prelude::*,
    sample::Index,
    test_runner::{Config, TestCaseError, TestRunner},
};

/// An anvil with the harness deployed, and a runtime to call it from proptest's closures.
struct Harness {
    rt: tokio::runtime::Runtime,
    contract: CoreHarnessInstance<DynProvider>,
    _anvil: AnvilInstance,
}

impl Harness {
    fn start() -> Self {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let anvil = spawn_anvil().expect("anvil starts");
        let provider = wallet_provider(&anvil, 0);
        let contract = rt
            .block_on(deploy_core_harness(provider))
            .expect("harness deploys");
        Self {
            rt,
            contract,
            _anvil: anvil,
        }
    }

    /// Waits for an `eth_call`.
    fn run<F: std::future::IntoFuture>(&self, call: F) -> F::Output {
        self.rt.block_on(call.into_future())
    }

    /// Runs `test` on `PROPTEST_CASES` (default 256) values of `strategy`.
    fn check<S: Strategy>(
        &self,
        strategy: S,
        test: impl Fn(&Self, S::Value) -> Result<(), TestCaseError>,
    ) where
        S::Value: std::fmt::Debug,
    {
        let cases = std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(256);
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        if let Err(failure) = runner.run(&strategy, |value| test(self, value)) {
            panic!("{failure}");
        }
    }
}

/// The Solidity revert as a Rust value, when it is one of the libraries' errors.
fn revert_of(err: &alloy::contract::Error) -> Option<SolError> {
    err.as_decoded_interface_error::<SolError>()
}

fn usize_of(value: U256) -> usize {
    value.try_into().unwrap_or(usize::MAX)
}

/// Maps a `TxLib_*` revert to the Rust error it must equal.
fn decode_error_of(err: &SolError) -> Option<DecodeError> {
    Some(match err {
        SolError::TxLib_TooShort(e) => DecodeError::TooShort {
            len: usize_of(e.length),
        },
        SolError::TxLib_UnknownType(e) => DecodeError::UnknownType { tx_type: e.txType },
        SolError::TxLib_BadInputCount(e) => DecodeError::BadInputCount { count: e.numInputs },
        SolError::TxLib_BadOutputCount(e) => DecodeError::BadOutputCount {
            count: e.numOutputs,
        },
        SolError::TxLib_BadLength(e) => DecodeError::BadLength {
            expected: usize_of(e.expected),
            len: usize_of(e.actual),
        },
        SolError::TxLib_BadPosition(e) => DecodeError::BadPosition {
            index: usize_of(e.index),
            pos: e.pos,
        },
        SolError::TxLib_InputsNotIncreasing(e) => DecodeError::InputsNotIncreasing {
            index: usize_of(e.index),
        },
        SolError::TxLib_ZeroOwner(e) => DecodeError::ZeroOwner {
            index: usize_of(e.index),
        },
        SolError::TxLib_ZeroAmount(e) => DecodeError::ZeroAmount {
            index: usize_of(e.index),
        },
        _ => return None,
    })
}

/// A corruption of transaction bytes.
#[derive(Debug, Clone)]
enum TxCorruption {
    None,
    SetByte(Index, u8),
    SetBytes(Vec<(Index, u8)>),
    Truncate(Index),
    Extend(Vec<u8>),
    Header(u8, u8, u8),
    SwapInputs(Index),
    DuplicateInput(Index),
    ZeroOwner(Index),
    ZeroAmount(Index),
}

fn tx_corruption() -> impl Strategy<Value = TxCorruption> {
    prop_oneof![
        2 => Just(TxCorruption::None),
        4 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| TxCorruption::SetByte(i, b)),
        2 => proptest::collection::vec((any::<Index>(), any::<u8>()), 2..6).prop_map(TxCorruption::SetBytes),
        1 => any::<Index>().prop_map(TxCorruption::Truncate),
        1 => proptest::collection::vec(any::<u8>(), 1..40).prop_map(TxCorruption::Extend),
        1 => (0u8..4, 0u8..6, 0u8..6).prop_map(|(t, i, o)| TxCorruption::Header(t, i, o)),
        1 => any::<Index>().prop_map(TxCorruption::SwapInputs),
        1 => any::<Index>().prop_map(TxCorruption::DuplicateInput),
        1 => any::<Index>().prop_map(TxCorruption::ZeroOwner),
        1 => any::<Index>().prop_map(TxCorruption::ZeroAmount),
    ]
}

fn corrupt(tx: &Transaction, corruption: &TxCorruption) -> Vec<u8> {
    let mut bytes = tx.encode().to_vec();
    let len = bytes.len();
    match corruption {
        TxCorruption::None => {}
        TxCorruption::SetByte(at, b) => bytes[at.index(len)] = *b,
        TxCorruption::SetBytes(edits) => edits.iter().for_each(|(at, b)| bytes[at.index(len)] = *b),
        TxCorruption::Truncate(at) => bytes.truncate(at.index(len)),
        TxCorruption::Extend(extra) => bytes.extend(extra),
        TxCorruption::Header(t, i, o) => bytes[..3].copy_from_slice(&[*t, *i, *o]),
        TxCorruption::SwapInputs(at) if tx.inputs.len() > 1 => {
            let i = at.index(tx.inputs.len() - 1);
            let (a, b) = (3 + 8 * i, 3 + 8 * (i + 1));
            let first: [u8; 8] = bytes[a..b].try_into().expect("8 bytes");
            bytes.copy_within(b..b + 8, a);
            bytes[b..b + 8].copy_from_slice(&first);
        }
        TxCorruption::DuplicateInput(at) if tx.inputs.len() > 1 => {
            let i = at.index(tx.inputs.len() - 1);
            bytes.copy_within(3 + 8 * i..3 + 8 * (i + 1), 3 + 8 * (i + 1));
        }
        TxCorruption::SwapInputs(_) | TxCorruption::DuplicateInput(_) => bytes[1] = 0,
        TxCorruption::ZeroOwner(at) => {
            let start = 3 + 8 * tx.inputs.len() + 72 * at.index(tx.outputs.len());
            bytes[start..start + 20].fill(0);
        }
        TxCorruption::ZeroAmount(at) => {
            let start = 3 + 8 * tx.inputs.len() + 72 * at.index(tx.outputs.len()) + 40;
            bytes[start..start + 32].fill(0);
        }
    }
    bytes
}

#[test]
fn decoders_agree_on_transactions_and_their_corruptions() {
    let harness = Harness::start();
    harness.check(
        (arb_transaction(), tx_corruption()),
        |h, (tx, corruption)| {
            let bytes = corrupt(&tx, &corruption);
            let rust = Transaction::decode(&bytes);
            let sol = h.run(h.contract.decode(Bytes::from(bytes.clone())).call());
            match (rust, sol) {
                (Ok(decoded), Ok(got)) => {
                    prop_assert_eq!(got.txType, decoded.tx_type.as_u8());
                    prop_assert_eq!(
                        got.inputs,
                        decoded.inputs.iter().map(|p| p.0).collect::<Vec<_>>()
                    );
                    prop_assert_eq!(
                        got.owners,
                        decoded.outputs.iter().map(|o| o.owner).collect::<Vec<_>>()
                    );
                    prop_assert_eq!(
                        got.tokens,
                        decoded.outputs.iter().map(|o| o.token).collect::<Vec<_>>()
                    );
                    prop_assert_eq!(
                        got.amounts,
                        decoded.outputs.iter().map(|o| o.amount).collect::<Vec<_>>()
                    );
                    prop_assert_eq!(got.metadata, decoded.metadata);
                    prop_assert_eq!(decoded.encode().to_vec(), bytes);
                }
                (Err(rust), Err(sol)) => {
                    let sol = revert_of(&sol).and_then(|e| decode_error_of(&e));
                    prop_assert_eq!(Some(rust), sol, "bytes {}", alloy::hex::encode(&bytes));
                }
                (rust, sol) => prop_assert!(
                    false,
                    "verdicts differ on {}: rust {:?}, solidity {:?}",
                    alloy::hex::encode(&bytes),
                    rust,
                    sol.map(|_| "accepted")
                ),
            }
            Ok(())
        },
    );
}

#[test]
fn signing_hashes_agree() {
    let harness = Harness::start();
    harness.check(
        (arb_transaction(), any::<u64>(), any::<[u8; 20]>()),
        |h, (tx, chain_id, contract)| {
            let contract = Address::from(contract);
            let rust = signing_hash(&tx, &domain(chain_id, contract));
            let sol = h.run(
                h.contract
                    .signingHash(tx.encode(), U256::from(chain_id), contract)
                    .call(),
            );
            prop_assert_eq!(sol.map_err(|e| e.to_string()), Ok(rust));
            Ok(())
        },
    );
}

/// A corruption of a Merkle proof claim.
#[derive(Debug, Clone)]
enum ProofCorruption {
    None,
    FlipBit(usize),
    OtherIndex(u64),
    AliasIndex(u64),
    Length(usize),
    OtherLeaf([u8; 32]),
}

fn proof_corruption() -> impl Strategy<Value = ProofCorruption> {
    prop_oneof![
        3 => Just(ProofCorruption::None),
        2 => (0usize..4096).prop_map(ProofCorruption::FlipBit),
        1 => prop_oneof![0u64..65_536, any::<u64>()].prop_map(ProofCorruption::OtherIndex),
        1 => (1u64..1 << 20).prop_map(ProofCorruption::AliasIndex),
        1 => prop_oneof![480usize..544, 0usize..1100].prop_map(ProofCorruption::Length),
        1 => any::<[u8; 32]>().prop_map(ProofCorruption::OtherLeaf),
    ]
}

#[test]
fn merkle_verifiers_agree_on_proofs_and_their_corruptions() {
    let harness = Harness::start();
    let leaves = proptest::collection::vec(any::<Vec<u8>>(), 1..48);
    harness.check((leaves, any::<Index>(), proof_corruption()), |h, (txs, pick, corruption)| {
        let tree = MerkleTree::from_txs(&txs).expect("fits");
        let mut index = pick.index(txs.len()) as u64;
        let mut leaf = leaf_hash(&txs[index as usize]);
        let sol_leaf = h.run(h.contract.leafHash(Bytes::from(txs[index as usize].clone())).call());
        prop_assert_eq!(sol_leaf.map_err(|e| e.to_string()), Ok(leaf));
        let mut proof = tree.proof(index).expect("in range").to_vec();
        match corruption {
            ProofCorruption::None => {}
            ProofCorruption::FlipBit(bit) => proof[bit / 8] ^= 1 << (bit % 8),
            ProofCorruption::OtherIndex(other) => index = other,
            ProofCorruption::AliasIndex(k) => index += k << 16,
            ProofCorruption::Length(len) => proof.resize(len, 0xab),
            ProofCorruption::OtherLeaf(other) => leaf = B256::from(other),
        }
        let rust = verify(leaf, index, tree.root(), &proof);
        let sol = h.run(h.contract.verifyProof(leaf, U256::from(index), tree.root(), Bytes::from(proof)).call());
        match (rust, sol) {
            (Ok(()), Ok(true)) | (Err(MerkleError::Mismatch), Ok(false)) => {}
            (Err(MerkleError::IndexOutOfRange { index }), Err(e)) => {
                prop_assert!(matches!(revert_of(&e), Some(SolError::MerkleLib_IndexOutOfRange(r)) if r.index == U256::from(index)));
            }
            (Err(MerkleError::BadProofLength { len }), Err(e)) => {
                prop_assert!(matches!(revert_of(&e), Some(SolError::MerkleLib_BadProofLength(r)) if r.length == U256::from(len)));
            }
            (rust, sol) => prop_assert!(false, "verdicts differ: rust {:?}, solidity {:?}", rust, sol.map_err(|e| e.to_string())),
        }
        Ok(())
    });
}

/// A corruption of a signature.
#[derive(Debug, Clone)]
enum SigCorruption {
    None,
    XorByte(Index, u8),
    V(u8),
    HighSTwin,
    Length(usize),
    RZero,
    SZero,
    Random([u8; 32], [u8; 32], bool),
    SNearHalf(u8),
}

fn sig_corruption() -> impl Strategy<Value = SigCorruption> {
    prop_oneof![
        3 => Just(SigCorruption::None),
        2 => (any::<Index>(), 1u8..=255).prop_map(|(i, x)| SigCorruption::XorByte(i, x)),
        1 => any::<u8>().prop_map(SigCorruption::V),
        1 => Just(SigCorruption::HighSTwin),
        1 => (0usize..130).prop_map(SigCorruption::Length),
        1 => Just(SigCorruption::RZero),
        1 => Just(SigCorruption::SZero),
        1 => (any::<[u8; 32]>(), any::<[u8; 32]>(), any::<bool>()).prop_map(|(r, s, v)| SigCorruption::Random(r, s, v)),
        1 => (0u8..3).prop_map(SigCorruption::SNearHalf),
    ]
}

/// The Rust rejection and the OpenZeppelin ECDSA revert name the same class.
fn same_sig_class(rust: SigError, sol: Option<SolError>) -> bool {
    matches!(
        (rust, sol),
        (
            SigError::BadLength { .. },
            Some(SolError::ECDSAInvalidSignatureLength(_))
        ) | (SigError::HighS, Some(SolError::ECDSAInvalidSignatureS(_)))
            | (
                SigError::BadV { .. } | SigError::Unrecoverable | SigError::ZeroAddress,
                Some(SolError::ECDSAInvalidSignature(_))
            )
    )
}

#[test]
fn signature_checks_agree_on_signatures_and_their_corruptions() {
    let harness = Harness::start();
    harness.check(
        (1u64..u64::MAX, any::<[u8; 32]>(), sig_corruption()),
        |h, (key, hash, corruption)| {
            let signer =
                PrivateKeySigner::from_bytes(&B256::from(U256::from(key))).expect("valid key");
            let hash = B256::from(hash);
            let mut sig = sign_hash(&signer, hash).expect("signs").to_vec();
            let set_s =
                |sig: &mut Vec<u8>, s: U256| sig[32..64].copy_from_slice(&s.to_be_bytes::<32>());
            match corruption {
                SigCorruption::None => {}
                SigCorruption::XorByte(at, x) => sig[at.index(65)] ^= x,
                SigCorruption::V(v) => sig[64] = v,
                SigCorruption::HighSTwin => {
                    let s = U256::from_be_slice(&sig[32..64]);
                    set_s(&mut sig, ORDER - s);
                    sig[64] ^= 27 ^ 28;
                }
                SigCorruption::Length(len) => sig.resize(len, 0x1b),
                SigCorruption::RZero => sig[..32].fill(0),
                SigCorruption::SZero => sig[32..64].fill(0),
                SigCorruption::Random(r, s, v) => {
                    sig[..32].copy_from_slice(&r);
                    sig[32..64].copy_from_slice(&s);
                    sig[64] = if v { 28 } else { 27 };
                }
                SigCorruption::SNearHalf(d) => {
                    set_s(&mut sig, HALF_ORDER - U256::from(1) + U256::from(d))
                }
            }
            let rust = recover(hash, &sig);
            let sol = h.run(
                h.contract
                    .recoverSigner(hash, Bytes::from(sig.clone()))
                    .call(),
            );
            match (rust, sol) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(rust), Err(sol)) => {
                    let sol = revert_of(&sol);
                    prop_assert!(
                        same_sig_class(rust, sol.clone()),
                        "rust {:?}, solidity {:?}",
                        rust,
                        sol.map(|e| format!("{e:?}"))
                    );
                }
                (rust, sol) => prop_assert!(
                    false,
                    "verdicts differ on {}: rust {:?}, solidity {:?}",
                    alloy::hex::encode(&sig),
                    rust,
                    sol.map_err(|e| e.to_string())
                ),
            }
            Ok(())
        },
    );
}

#[test]
fn deposit_transactions_and_roots_agree() {
    let harness = Harness::start();
    let blknum = prop_oneof![1u64..2_000, 1u64..=18_446_743_999];
    harness.check(
        (blknum, arb_owner(), arb_token(), arb_amount()),
        |h, (blknum, owner, token, amount)| {
            let tx = deposit_tx(blknum, owner, token, amount);
            let sol_tx = h.run(
                h.contract
                    .depositTx(U256::from(blknum), owner, token, amount)
                    .call(),
            );
            prop_assert_eq!(sol_tx.map_err(|e| e.to_string()), Ok(tx.encode()));
            let sol_root = h.run(h.contract.depositRoot(tx.encode()).call());
            prop_assert_eq!(sol_root.map_err(|e| e.to_string()), Ok(deposit_root(&tx)));
            Ok(())
        },
    );
}

#[test]
fn harness_type_is_the_bound_contract() {
    // The bytecode the harness deploys from is the committed artifact's.
    assert!(!CoreHarness::BYTECODE.is_empty());
}
