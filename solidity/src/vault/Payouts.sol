// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IRootChain} from "../interfaces/IRootChain.sol";
import {SafePay} from "../lib/SafePay.sol";

/// @title Payouts
/// @notice Outgoing transfers of exits and bonds. A payout runs with a bounded gas allowance
///         (SafePay); when it fails it is credited to `withdrawable` and the account claims it
///         later with `withdraw`, so no receiver or token can block a queue (audit lesson 5).
abstract contract Payouts is IRootChain, ReentrancyGuardTransient {
    /// @notice Payouts credited after a failed transfer, per account and token.
    mapping(address account => mapping(address token => uint256 amount)) public withdrawable;

    /// @inheritdoc IRootChain
    function withdraw(address token) external nonReentrant {
        uint256 amount = withdrawable[msg.sender][token];
        if (amount == 0) revert RootChain_NothingToWithdraw(msg.sender, token);
        withdrawable[msg.sender][token] = 0;
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

    /// @notice Pays `amount` of `token` (address(0) for ETH) to `to`, or credits it to
    ///         `withdrawable` when the bounded transfer fails. Returns whether it was paid.
    function _payOrDefer(address to, address token, uint256 amount) internal returns (bool paid) {
        if (amount == 0) return true;
        paid = token == address(0) ? SafePay.tryPayETH(to, amount) : SafePay.tryPayToken(token, to, amount);
        if (!paid) {
            withdrawable[to][token] += amount;
            emit PayoutDeferred(to, token, amount);
        }
    }
}
