// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IExitGame} from "../interfaces/IExitGame.sol";
import {IPlasmaFramework} from "../interfaces/IPlasmaFramework.sol";
import {ExitQueueLib} from "../lib/ExitQueueLib.sol";
import {OutputLib} from "../lib/OutputLib.sol";
import {VaultLib} from "../lib/VaultLib.sol";
import {PlasmaStorage} from "./PlasmaStorage.sol";

/// @title ExitProcessor
/// @notice The per-token exit queues and their processing. Every game's exits share a token's
///         queue, so priority is global across games; each popped entry is settled by the
///         game named in its key (DELEGATECALL to IExitGame.processExit) out of a budget: the
///         token's available funds when the call began, less what earlier entries took.
abstract contract ExitProcessor is IPlasmaFramework, ReentrancyGuardTransient {
    using ExitQueueLib for ExitQueueLib.Queue;

    /// @inheritdoc IPlasmaFramework
    function processExits(address token, uint256 maxExits) external nonReentrant returns (uint256 processed) {
        PlasmaStorage.Layout storage s = PlasmaStorage.layout();
        ExitQueueLib.Queue storage queue = s.queues[token];
        uint256 budget;
        uint256 bounty;
        while (processed < maxExits) {
            (uint256 n, uint256 key) = queue.head();
            // Exit times are protocol time (days); miner drift of seconds is irrelevant.
            // forge-lint: disable-next-line(block-timestamp)
            if (n == 0 || ExitQueueLib.exitableAt(key) > block.timestamp) break;
            // Funds are read once, before the first payout: later arrivals never pay this batch.
            if (processed == 0) budget = VaultLib.available(s, token);
            queue.pop();
            unchecked {
                // Bounded by maxExits.
                ++processed;
            }
            (uint256 spent, uint256 owed) = _settle(_exitGame(ExitQueueLib.gameId(key)), token, key, budget);
            // A game never spends more than its budget, nor owes more than a bond.
            budget -= spent;
            bounty += owed;
        }
        VaultLib.payOrDefer(s, msg.sender, address(0), bounty);
    }

    /// @inheritdoc IPlasmaFramework
    function outputExit(bytes32 outputId) external view returns (uint8 status, address owner, uint256 amount) {
        PlasmaStorage.Layout storage s = PlasmaStorage.layout();
        uint256 record = s.outputs[outputId];
        if (record == 0) return (OutputLib.NONE, address(0), 0);
        return (OutputLib.status(record), OutputLib.ownerOf(record), OutputLib.amountOf(s, outputId, record));
    }

    /// @inheritdoc IPlasmaFramework
    function exitQueueLength(address token) external view returns (uint256) {
        return PlasmaStorage.layout().queues[token].size();
    }

    /// @inheritdoc IPlasmaFramework
    function nextExit(address token) external view returns (uint64 exitableAt, uint64 utxoPos, uint8 gameId) {
        uint256 key = PlasmaStorage.layout().queues[token].top();
        return (ExitQueueLib.exitableAt(key), ExitQueueLib.position(key), ExitQueueLib.gameId(key));
    }

    /// @notice The module of an exit game id (only ids the framework's games enqueue).
    function _exitGame(uint8 gameId) internal view virtual returns (address);

    /// @notice DELEGATECALLs the game's processExit; bubbles up a revert (never a payout's).
    function _settle(address game, address token, uint256 key, uint256 budget)
        private
        returns (uint256 spent, uint256 owed)
    {
        (bool ok, bytes memory ret) = game.delegatecall(abi.encodeCall(IExitGame.processExit, (token, key, budget)));
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        (spent, owed) = abi.decode(ret, (uint256, uint256));
    }
}
