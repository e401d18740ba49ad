//! A restart changes nothing, and no history pays an output twice: random histories of
//! deposits, payments (single and batched, by the owner or not, resubmitted), seals,
//! exit starts and root-chain reorganisations are run against two nodes, one of which
//! is restarted from its database at random moments. Every answer of the two must be
//! equal, to the transaction hash and rejection code, up to a final probe that tries to
//! spend every output there ever was. And whatever the history, no two accepted
//! transactions spend one output, and nothing accepted while an exit holds an output
//! (started and not challenged, in flight, or processed) spends it.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    path::PathBuf,
    sync::Arc,
};

use alloy::{
    primitives::{Address, B256, U256, keccak256},
    signers::local::PrivateKeySigner,
};
use plasma_core::{UtxoPos, deposit::deposit_position, signed::SignedTx};
use plasma_follower::Journal;
use plasma_operator::{
    Node, NodeConfig,
    admission::WireItem,
    node::Deposit,
    store::{ExitEvent, ExitKind},
};
use plasma_test_utils::{eth, signed_payment};
use proptest::{collection::vec, prelude::*};

use crate::common::{CHAIN_ID, key, root_chain, test_domain};

/// Keys of the users (owners and signers).
const USERS: u8 = 3;

/// One payment: the one or two outputs it spends (indexes into every output there was),
/// the recipient, the fee, and whether its first signature is forged (by the next user
/// instead of the owner).
#[derive(Debug, Clone)]
struct Pay {
    picks: Vec<usize>,
    to: u8,
    fee: u64,
    forged: bool,
}

#[derive(Debug, Clone)]
enum Op {
    Deposit {
        owner: u8,
        amount: u64,
    },
    /// One request; more than one payment is a batch.
    Submit(Vec<Pay>),
    /// Resubmits an accepted transaction (an index into them).
    Resubmit(usize),
    Seal,
    /// A root-chain exit event on an output (an index into every output there was).
    Exit(usize, ExitKind),
    /// The root chain reorganises this many of its newest blocks away.
    Reorg(u64),
    Restart,
}

fn arb_op() -> impl Strategy<Value = Op> {
    let pay = (
        vec(any::<usize>(), 1..3),
        0..USERS,
        0u64..3,
        proptest::bool::weighted(0.2),
    )
        .prop_map(|(picks, to, fee, forged)| Pay {
            picks,
            to,
            fee,
            forged,
        });
    prop_oneof![
        3 => (0..USERS, 1u64..1_000).prop_map(|(owner, amount)| Op::Deposit { owner, amount }),
        6 => vec(pay, 1..4).prop_map(Op::Submit),
        1 => any::<usize>().prop_map(Op::Resubmit),
        3 => Just(Op::Seal),
        2 => (any::<usize>(), prop_oneof![
            Just(ExitKind::Started),
            Just(ExitKind::Challenged),
            Just(ExitKind::Processed),
            Just(ExitKind::InFlight),
        ]).prop_map(|(pick, kind)| Op::Exit(pick, kind)),
        1 => (1u64..4).prop_map(Op::Reorg),
        2 => Just(Op::Restart),
    ]
}

fn user(i: u8) -> Address {
    key(i + 1).address()
}

async fn open(db_path: PathBuf) -> Arc<Node> {
    Node::open(NodeConfig {
        db_path,
        chain_id: CHAIN_ID,
        root_chain: root_chain(),
        block_size: 3,
        min_fee: U256::from(1),
        max_batch: 10,
        byzantine: false,
        health: Default::default(),
    })
    .await
    .unwrap()
}

/// What a history has produced so far, as the test sees it from the answers.
#[derive(Default)]
struct History {
    /// Every output there was (deposits and outputs of sealed transactions) and its
    /// owner and amount, in creation order.
    outputs: Vec<(UtxoPos, Address, u64)>,
    /// Accepted transactions by hash, in acceptance order, and those not yet sealed.
    accepted: Vec<(B256, SignedTx)>,
    unsealed: Vec<B256>,
    /// The exit events by root-chain block (a reorganisation takes the newest away).
    exits: BTreeMap<u64, Vec<(u64, ExitKind)>>,
    eth_block: u64,
    fork: u64,
    next_deposit: u64,
    /// Spent positions, and by what.
    spent: HashMap<u64, B256>,
}

impl History {
    fn eth_hash(&self, block: u64) -> B256 {
        keccak256([block.to_be_bytes(), self.fork.to_be_bytes()].concat())
    }

    fn next_root_block(&mut self) -> (u64, B256) {
        self.eth_block += 1;
        (self.eth_block, self.eth_hash(self.eth_block))
    }

    /// Whether the exit events that stand hold `pos` (docs/SPEC.md "Exits remove outputs
    /// from the child chain", said here without `plasma_core::exit`): a processed exit
    /// or an in-flight one holds it for good, a started standard exit until challenged.
    fn exit_holds(&self, pos: u64) -> bool {
        let seen: HashSet<ExitKind> = self
            .exits
            .values()
            .flatten()
            .filter(|(p, _)| *p == pos)
            .map(|(_, k)| *k)
            .collect();
        seen.contains(&ExitKind::Processed)
            || seen.contains(&ExitKind::InFlight)
            || (seen.contains(&ExitKind::Started) && !seen.contains(&ExitKind::Challenged))
    }

    /// Records accepted transactions and checks the safety rules on them.
    fn accept(&mut self, hash: B256, tx: SignedTx) {
        if self.accepted.iter().any(|(h, _)| *h == hash) {
            return; // a resubmission, answered as the original
        }
        for input in &tx.tx.inputs {
            let pos = input.get();
            assert!(
                !self.exit_holds(pos),
                "{hash} accepted spending {pos}, which an exit holds"
            );
            if let Some(first) = self.spent.insert(pos, hash) {
                panic!("{pos} spent twice: by {first} and by {hash}");
            }
        }
        self.accepted.push((hash, tx));
        self.unsealed.push(hash);
    }
}

/// The two nodes: `steady` is never restarted, `restarted` is, from its database.
struct Twins {
    steady: Arc<Node>,
    restarted: Arc<Node>,
    path: PathBuf,
}

impl Twins {
    async fn both<T: PartialEq + std::fmt::Debug, F: Future<Output = T>>(
        &self,
        what: &str,
        f: impl Fn(Arc<Node>) -> F,
    ) -> T {
        let (a, b) = (
            f(self.steady.clone()).await,
            f(self.restarted.clone()).await,
        );
        assert_eq!(a, b, "{what}: the restarted node answered differently");
        a
    }

    async fn submit(&self, items: Vec<WireItem>) -> Vec<Result<B256, &'static str>> {
        self.both("submit", |n| {
            let items = items.clone();
            async move {
                n.submit(items)
                    .await
                    .into_iter()
                    .map(|r| r.map_err(|e| e.code()))
                    .collect::<Vec<_>>()
            }
        })
        .await
    }
}

async fn run(ops: Vec<Op>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("restarted.sqlite");
    let mut twins = Twins {
        steady: open(dir.path().join("steady.sqlite")).await,
        restarted: open(path.clone()).await,
        path,
    };
    let domain = test_domain();
    let keys: Vec<_> = (0..USERS).map(|i| key(i + 1)).collect();
    let mut h = History {
        next_deposit: 1,
        ..Default::default()
    };
    for op in ops {
        match op {
            Op::Deposit { owner, amount } => {
                let blknum = h.next_deposit;
                h.next_deposit += 1;
                let (eth_block, eth_block_hash) = h.next_root_block();
                let d = Deposit {
                    blknum,
                    output: eth(user(owner), amount),
                    eth_block,
                    eth_block_hash,
                };
                twins
                    .both("deposit", |n| async move {
                        n.apply_root_events(&[d], &[], &[], (eth_block, eth_block_hash))
                            .await
                            .unwrap()
                    })
                    .await;
                let pos = deposit_position(blknum).unwrap();
                h.outputs.push((pos, user(owner), amount));
            }
            Op::Submit(pays) => {
                if h.outputs.is_empty() {
                    continue;
                }
                let txs: Vec<SignedTx> = pays
                    .iter()
                    .map(|p| {
                        let spent: BTreeMap<UtxoPos, (Address, u64)> = p
                            .picks
                            .iter()
                            .map(|i| {
                                let (pos, owner, amount) = h.outputs[i % h.outputs.len()];
                                (pos, (owner, amount))
                            })
                            .collect();
                        let total: u64 = spent.values().map(|(_, a)| a).sum();
                        let out = eth(user(p.to), total.saturating_sub(p.fee).max(1));
                        let mut signers: Vec<&PrivateKeySigner> = spent
                            .values()
                            .map(|(owner, _)| keys.iter().find(|k| k.address() == *owner).unwrap())
                            .collect();
                        if p.forged {
                            let owner = signers[0].address();
                            signers[0] = keys.iter().find(|k| k.address() != owner).unwrap();
                        }
                        let inputs: Vec<UtxoPos> = spent.into_keys().collect();
                        let wire = signed_payment(&domain, &inputs, &signers, vec![out]);
                        SignedTx::try_from(wire).unwrap()
                    })
                    .collect();
                let answers = twins.submit(txs.iter().map(WireItem::from).collect()).await;
                for (tx, answer) in txs.into_iter().zip(answers) {
                    if let Ok(hash) = answer {
                        assert_eq!(hash, tx.hash());
                        h.accept(hash, tx);
                    }
                }
            }
            Op::Resubmit(i) => {
                if h.accepted.is_empty() {
                    continue;
                }
                let (hash, tx) = &h.accepted[i % h.accepted.len()];
                let answer = twins.submit(vec![WireItem::from(tx)]).await;
                assert_eq!(
                    answer,
                    vec![Ok(*hash)],
                    "a resubmission is answered as before"
                );
            }
            Op::Seal => {
                let sealed = twins
                    .both("seal", |n| async move {
                        n.seal_all()
                            .await
                            .unwrap()
                            .iter()
                            .map(|s| (s.blknum, s.root, s.txs))
                            .collect::<Vec<_>>()
                    })
                    .await;
                let mut queue = std::mem::take(&mut h.unsealed).into_iter();
                for (blknum, _, count) in sealed {
                    for txindex in 0..count {
                        let hash = queue.next().expect("a sealed transaction was accepted");
                        let (_, tx) = h.accepted.iter().find(|(x, _)| *x == hash).unwrap();
                        for (oindex, o) in tx.tx.outputs.iter().enumerate() {
                            let pos = UtxoPos::new(blknum, txindex as u64, oindex as u64);
                            let amount = u64::try_from(o.amount).unwrap();
                            h.outputs.push((pos.unwrap(), o.owner, amount));
                        }
                    }
                }
                assert!(queue.next().is_none(), "everything accepted was sealed");
            }
            Op::Exit(pick, kind) => {
                if h.outputs.is_empty() {
                    continue;
                }
                let pos = h.outputs[pick % h.outputs.len()].0.get();
                let (eth_block, eth_block_hash) = h.next_root_block();
                let e = ExitEvent {
                    utxo_pos: pos,
                    kind,
                    eth_block,
                    eth_block_hash,
                };
                twins
                    .both("exit", |n| async move {
                        n.apply_root_events(&[], &[e], &[], (eth_block, eth_block_hash))
                            .await
                            .unwrap()
                    })
                    .await;
                h.exits.entry(eth_block).or_default().push((pos, kind));
            }
            Op::Reorg(depth) => {
                let ancestor = h.eth_block.saturating_sub(depth);
                let hash = h.eth_hash(ancestor);
                twins
                    .both("reorg", |n| async move {
                        n.rollback_to(ancestor, hash).await.unwrap()
                    })
                    .await;
                h.exits.split_off(&(ancestor + 1));
                h.eth_block = ancestor;
                h.fork += 1;
            }
            Op::Restart => twins.restarted = open(twins.path.clone()).await,
        }
    }
    // The final probe: every output there was, spent by its owner with the minimum fee
    // (after one more restart).
    twins.restarted = open(twins.path.clone()).await;
    for (i, &(pos, owner, amount)) in h.outputs.clone().iter().enumerate() {
        let signer = keys.iter().find(|k| k.address() == owner).unwrap();
        let out = eth(user(i as u8 % USERS), amount.saturating_sub(1).max(1));
        let tx = SignedTx::try_from(signed_payment(&domain, &[pos], &[signer], vec![out])).unwrap();
        if let [Ok(hash)] = twins.submit(vec![WireItem::from(&tx)]).await[..] {
            h.accept(hash, tx);
        }
    }
    twins
        .both("the sealed log", |n| async move {
            n.seal_all().await.unwrap();
            n.store().txs_in(1, i64::MAX).await.unwrap()
        })
        .await;
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn a_restart_changes_no_answer_and_no_output_is_paid_twice(ops in vec(arb_op(), 1..60)) {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(run(ops));
    }
}
