//! `plasma cost-report`: starts a fresh anvil, measures on it the whole-transaction
//! `gasUsed` of every root-chain operation ([`crate::cost::measure`]), derives the dollar
//! figures and the case study ([`crate::cost`]) and renders them as Markdown tables.

use std::time::Duration;

use plasma_devnet::{Service, free_port, spawn_anvil};

use crate::Output;
use crate::cost::{Assumptions, Report, measure};

/// Arguments of `plasma cost-report`.
#[derive(Debug, Clone, clap::Args)]
pub struct CostReportArgs {
    /// Gas price for the dollar figures, in gwei (an assumption, printed with the report).
    #[arg(long, default_value_t = 10.0)]
    pub gas_price_gwei: f64,
    /// ETH price in dollars for the dollar figures (an assumption, printed with the report).
    #[arg(long, default_value_t = 3_000.0)]
    pub eth_usd: f64,
    /// Layer-1 transfers a year the case study's $120M volume takes (weekly rebalancing of
    /// ten positions: 520).
    #[arg(long, default_value_t = 520)]
    pub transfers_per_year: u64,
}

impl CostReportArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let dir = std::env::temp_dir().join(format!("plasma-cost-report-{}", std::process::id()));
        let port = free_port()?;
        let anvil = spawn_anvil(port, &[], &dir.join("anvil.log")).await?;
        let result = measure::measure(&format!("http://127.0.0.1:{port}")).await;
        stop_quietly(anvil).await;
        let assumptions = Assumptions {
            gas_price_gwei: self.gas_price_gwei,
            eth_usd: self.eth_usd,
            transfers_per_year: self.transfers_per_year,
        };
        out.emit(&Report::new(result?, &assumptions)?, render)
    }
}

async fn stop_quietly(anvil: Service) {
    if let Err(e) = anvil.stop(Duration::from_secs(5)).await {
        tracing::warn!("stopping anvil: {e}");
    }
}

fn render(r: &Report) -> String {
    let mut s = String::from(
        "| operation | conditions | gasUsed | OMG plasma_framework |\n|---|---|---:|---:|\n",
    );
    for x in &r.measurements {
        let omg = x.omg.map(thousands).unwrap_or_else(|| "–".into());
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            x.operation,
            x.conditions,
            thousands(x.gas_used),
            omg
        ));
    }
    let c = &r.measured;
    s.push_str(&format!(
        "\nRoot-chain gas per child-chain transaction in a full block (65,536 txs): {:.2} gas \
         (${:.6} at {} gwei and ${}/ETH)\nOne plain ERC-20 transfer on the root chain: ${:.4}\n",
        c.plasma_gas_per_tx, c.plasma_usd_per_tx, c.gas_price_gwei, c.eth_usd, c.l1_transfer_usd
    ));
    s.push_str(&format!(
        "\nCase study, measured ({} transfers a year for the $120M volume):\n\
         | | document | measured gas at the assumptions above |\n|---|---:|---:|\n\
         | layer-1 yearly cost | $540,000 (45 bp) | ${:.2} ({:.5} bp) |\n\
         | Plasma yearly cost | $1,800 (0.15 bp) | ${:.2} ({:.5} bp) |\n",
        c.transfers_per_year,
        c.l1_yearly_usd,
        c.l1_yearly_bp,
        c.plasma_yearly_usd,
        c.plasma_yearly_bp
    ));
    s.push_str("\nThe document's figures against its own inputs:\n| claim | document | recomputed | holds | note |\n|---|---:|---:|---|---|\n");
    for k in &r.document_checks {
        s.push_str(&format!(
            "| {} | {} | {:.2} | {} | {} |\n",
            k.claim,
            k.document,
            k.recomputed,
            if k.holds { "yes" } else { "NO" },
            k.note
        ));
    }
    s
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
