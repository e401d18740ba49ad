// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title SafePay
/// @notice Payouts that no receiver or token can turn against the payer (audit lesson 5):
///         every call runs with a bounded gas allowance and copies at most 32 bytes of
///         returndata, and a failure is reported instead of reverting. OpenZeppelin's
///         SafeERC20 forwards all gas and copies the whole returndata (a "returnbomb"
///         token can exhaust the caller), and Address.sendValue reverts on failure, so
///         neither can be used where one bad receiver must not freeze a queue.
library SafePay {
    /// @notice Gas forwarded with an ETH payout (on top of the 2,300 value stipend): enough
    ///         for smart-contract wallets, small enough to bound a gas-burning receiver.
    uint256 internal constant ETH_GAS = 30_000;
    /// @notice Gas forwarded to a token's transfer.
    uint256 internal constant TOKEN_GAS = 100_000;

    /// @notice Not enough gas is left to give a payout its full allowance (a caller could
    ///         otherwise starve payouts on purpose to force them into `withdrawable`).
    error SafePay_InsufficientGas(uint256 gasLeft, uint256 needed);

    /// @notice Sends `amount` wei to `to` with ETH_GAS; returns whether it succeeded.
    function tryPayETH(address to, uint256 amount) internal returns (bool ok) {
        _requireGas(ETH_GAS);
        assembly ("memory-safe") {
            ok := call(ETH_GAS, to, amount, 0, 0, 0, 0)
        }
    }

    /// @notice Calls `token.transfer(to, amount)` with TOKEN_GAS; succeeds like SafeERC20
    ///         (no returndata from a contract, or a 32-byte true), reads at most 32 bytes.
    function tryPayToken(address token, address to, uint256 amount) internal returns (bool ok) {
        _requireGas(TOKEN_GAS);
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, shl(224, 0xa9059cbb)) // transfer(address,uint256)
            // Solidity leaves the upper bits of a short type in assembly unspecified: clean
            // them, or the token's ABI decoder rejects the address.
            mstore(add(ptr, 0x04), shr(96, shl(96, to)))
            mstore(add(ptr, 0x24), amount)
            mstore(0, 0)
            ok := call(TOKEN_GAS, token, 0, ptr, 0x44, 0, 0x20)
            let rds := returndatasize()
            switch rds
            case 0 { ok := and(ok, gt(extcodesize(token), 0)) }
            default { ok := and(ok, and(gt(rds, 31), eq(mload(0), 1))) }
        }
    }

    function _requireGas(uint256 allowance) private view {
        // A CALL may forward at most 63/64 of the remaining gas (EIP-150) after its own cost
        // (up to 2,600 cold account + 9,000 value + 25,000 new account); keep room for all of
        // it so the callee really gets `allowance`.
        uint256 needed = allowance + allowance / 63 + 40_000;
        if (gasleft() < needed) revert SafePay_InsufficientGas(gasleft(), needed);
    }
}
