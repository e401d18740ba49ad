//! The cost report's figures: the measured root-chain gas of every operation
//! ([`measure`]), what that gas costs at assumed prices and volumes ([`Measured`]), and
//! the seed document's case study recomputed from its own inputs ([`case_study`]).

pub mod case_study;
pub mod measure;

use plasma_core::merkle::MAX_LEAVES;
use serde::Serialize;

use case_study::{Check, Inputs};

/// The prices and volume the dollar figures assume (printed with the report).
#[derive(Debug, Clone, Copy)]
pub struct Assumptions {
    /// Gas price in gwei.
    pub gas_price_gwei: f64,
    /// ETH price in dollars.
    pub eth_usd: f64,
    /// Layer-1 transfers a year the case study's volume takes.
    pub transfers_per_year: u64,
}

/// One measured operation.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measurement {
    /// The operation.
    pub operation: &'static str,
    /// The conditions it was measured in.
    pub conditions: &'static str,
    /// Whole-transaction gasUsed (21,000 base and calldata included).
    pub gas_used: u64,
    /// OMG Network plasma_framework 2.0.0 on the same anvil, where comparable.
    pub omg: Option<u64>,
}

/// The measured side of the case study.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measured {
    /// Gas price assumed (gwei).
    pub gas_price_gwei: f64,
    /// ETH price assumed ($).
    pub eth_usd: f64,
    /// Dollar cost of one plain ERC-20 transfer on the root chain.
    pub l1_transfer_usd: f64,
    /// Root-chain gas per child-chain transaction in a full block (submitBlock / 65,536).
    pub plasma_gas_per_tx: f64,
    /// Dollar cost of that share.
    pub plasma_usd_per_tx: f64,
    /// Transfers a year assumed.
    pub transfers_per_year: u64,
    /// Yearly layer-1 gas cost of those transfers ($).
    pub l1_yearly_usd: f64,
    /// The same in basis points of the $120M volume.
    pub l1_yearly_bp: f64,
    /// Yearly Plasma root-chain cost: one ERC-20 deposit, one exit start, one processing
    /// (a tenth of a batch of 10) and the transfers' block share ($).
    pub plasma_yearly_usd: f64,
    /// The same in basis points of the $120M volume.
    pub plasma_yearly_bp: f64,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Every measurement.
    pub measurements: Vec<Measurement>,
    /// The measured case study.
    pub measured: Measured,
    /// The document's case-study figures checked against its own inputs.
    pub document_checks: Vec<Check>,
}

impl Report {
    /// The report of `measurements` at `assumptions`, beside the document's own checks.
    pub fn new(measurements: Vec<Measurement>, assumptions: &Assumptions) -> eyre::Result<Self> {
        Ok(Self {
            measured: Measured::derive(&measurements, assumptions)?,
            measurements,
            document_checks: case_study::checks(&Inputs::DOCUMENT),
        })
    }
}

impl Measured {
    /// The dollar figures and the case study's yearly costs from the measurements.
    pub fn derive(m: &[Measurement], a: &Assumptions) -> eyre::Result<Self> {
        let gas = |op: &str, cond: &str| {
            m.iter()
                .find(|x| x.operation == op && x.conditions.starts_with(cond))
                .map(|x| x.gas_used as f64)
                .ok_or_else(|| eyre::eyre!("missing measurement {op} ({cond})"))
        };
        let usd = |gas: f64| gas * a.gas_price_gwei * 1e-9 * a.eth_usd;
        let transfer = gas("ERC-20 transfer", "to an existing holder")?;
        let plasma_gas_per_tx = gas("submitBlock", "back-to-back")? / MAX_LEAVES as f64;
        let fixed = gas("ERC-20 deposit", "second")?
            + gas("start standard exit", "ETH child-block output, empty queue")?
            + gas("process exits", "batch of 10")? / 10.0;
        let volume = Inputs::DOCUMENT.annual_volume;
        let n = a.transfers_per_year as f64;
        let l1_yearly_usd = usd(transfer * n);
        let plasma_yearly_usd = usd(fixed + plasma_gas_per_tx * n);
        Ok(Self {
            gas_price_gwei: a.gas_price_gwei,
            eth_usd: a.eth_usd,
            l1_transfer_usd: usd(transfer),
            plasma_gas_per_tx,
            plasma_usd_per_tx: usd(plasma_gas_per_tx),
            transfers_per_year: a.transfers_per_year,
            l1_yearly_usd,
            l1_yearly_bp: l1_yearly_usd / volume * 10_000.0,
            plasma_yearly_usd,
            plasma_yearly_bp: plasma_yearly_usd / volume * 10_000.0,
        })
    }
}
