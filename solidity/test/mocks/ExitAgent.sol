// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRootChain} from "../../src/interfaces/IRootChain.sol";

/// @title ExitAgent
/// @notice A contract that owns outputs and starts their exits, so tests can give an exit
///         owner hostile receive behaviour (see RevertingReceiver, GasBurningReceiver).
contract ExitAgent {
    /// @notice Starts an exit of an output this contract owns.
    function exit(IRootChain rootChain, uint64 pos, bytes calldata txBytes, bytes calldata proof, uint256 ts)
        external
        payable
    {
        rootChain.startStandardExit{value: msg.value}(pos, txBytes, proof, ts);
    }

    /// @notice Claims a deferred payout.
    function withdraw(IRootChain rootChain, address token) external {
        rootChain.withdraw(token);
    }

    /// @notice Processes exits (the bounty comes back to this contract).
    function process(IRootChain rootChain, address token, uint256 maxExits) external returns (uint256) {
        return rootChain.processExits(token, maxExits);
    }
}

/// @title RevertingReceiver
/// @notice Reverts on every incoming ETH transfer unless `open` is set.
contract RevertingReceiver is ExitAgent {
    /// @notice Whether ETH is accepted.
    bool public open;

    /// @notice Receiving is closed.
    error RevertingReceiver_Closed();

    /// @notice Opens or closes the receiver.
    function setOpen(bool open_) external {
        open = open_;
    }

    receive() external payable {
        if (!open) revert RevertingReceiver_Closed();
    }
}

/// @title GasBurningReceiver
/// @notice Burns all the gas it is given on every incoming ETH transfer.
contract GasBurningReceiver is ExitAgent {
    /// @notice Counter written in the loop.
    uint256 public sink;

    receive() external payable {
        while (true) {
            ++sink;
        }
    }
}
