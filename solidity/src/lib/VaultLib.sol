// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {PlasmaStorage} from "../framework/PlasmaStorage.sol";
import {IPlasmaFramework} from "../interfaces/IPlasmaFramework.sol";
import {SafePay} from "./SafePay.sol";

/// @title VaultLib
/// @notice The vault's accounting, used by the framework and by every exit game: the one
///         place that decides what may be paid. Funds of a token are split into
///         - `reserved[token]`: owed to accounts whose payout failed (their `withdrawable`);
///         - `bondsHeld` (ETH only): bonds of live exits;
///         - the rest, available to exits. A payout that fails is reserved at once, so no
///         later exit is ever paid out of it, and exits are paid only out of what was
///         available when processing began, never out of deposits that arrive during it.
library VaultLib {
    /// @notice What exits of `token` may be paid out of now (saturating at zero: a token
    ///         that lies about its balance can only short its own exits).
    function available(PlasmaStorage.Layout storage s, address token) internal view returns (uint256) {
        uint256 balance;
        uint256 owed = s.reserved[token];
        if (token == address(0)) {
            balance = address(this).balance;
            owed += s.bondsHeld;
        } else {
            balance = IERC20(token).balanceOf(address(this));
        }
        return balance > owed ? balance - owed : 0;
    }

    /// @notice Pays `amount` of `token` to `to` with a bounded transfer (SafePay), or credits
    ///         it to `withdrawable` and reserves it when the transfer fails. The caller must
    ///         own `amount` out of unreserved funds (available funds, or a released bond), so
    ///         `reserved` never exceeds the balance and no sum here can overflow.
    /// @return paid False when the payout was deferred.
    function payOrDefer(PlasmaStorage.Layout storage s, address to, address token, uint256 amount)
        internal
        returns (bool paid)
    {
        if (amount == 0) return true;
        paid = token == address(0) ? SafePay.tryPayETH(to, amount) : SafePay.tryPayToken(token, to, amount);
        if (!paid) {
            s.withdrawable[to][token] += amount;
            s.reserved[token] += amount;
            emit IPlasmaFramework.PayoutDeferred(to, token, amount);
        }
    }
}
