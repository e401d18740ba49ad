// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {PlasmaStorage} from "../framework/PlasmaStorage.sol";
import {IPlasmaFramework} from "../interfaces/IPlasmaFramework.sol";
import {VaultLib} from "../lib/VaultLib.sol";

/// @title Vault
/// @notice Withdrawal of deferred payouts and the vault's views. The accounting itself is
///         VaultLib, shared with the exit games.
abstract contract Vault is IPlasmaFramework, ReentrancyGuardTransient {
    /// @inheritdoc IPlasmaFramework
    function withdraw(address token) external nonReentrant {
        PlasmaStorage.Layout storage s = PlasmaStorage.layout();
        uint256 amount = s.withdrawable[msg.sender][token];
        if (amount == 0) revert RootChain_NothingToWithdraw(msg.sender, token);
        s.withdrawable[msg.sender][token] = 0;
        s.reserved[token] -= amount;
        emit Withdrawn(msg.sender, token, amount);
        // The account asked for this transfer itself, so it gets all the gas it sends along.
        bool ok;
        if (token == address(0)) {
            (ok,) = msg.sender.call{value: amount}("");
        } else {
            ok = SafeERC20.trySafeTransfer(IERC20(token), msg.sender, amount);
        }
        if (!ok) revert RootChain_WithdrawFailed(msg.sender, token);
    }

    /// @inheritdoc IPlasmaFramework
    function withdrawable(address account, address token) external view returns (uint256) {
        return PlasmaStorage.layout().withdrawable[account][token];
    }

    /// @inheritdoc IPlasmaFramework
    function reserved(address token) external view returns (uint256) {
        return PlasmaStorage.layout().reserved[token];
    }

    /// @inheritdoc IPlasmaFramework
    function bondsHeld() external view returns (uint256) {
        return PlasmaStorage.layout().bondsHeld;
    }

    /// @inheritdoc IPlasmaFramework
    function availableFunds(address token) external view returns (uint256) {
        return VaultLib.available(PlasmaStorage.layout(), token);
    }
}
