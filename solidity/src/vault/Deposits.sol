// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {BlockController} from "../framework/BlockController.sol";
import {IRootChain} from "../interfaces/IRootChain.sol";

/// @title Deposits
/// @notice ETH and ERC-20 deposits, each into its own deposit block. Any token works without
///         registration; tokens without a bool return (USDT) go through SafeERC20, and the
///         output is credited with the balance increase (fee-on-transfer tokens).
abstract contract Deposits is BlockController, ReentrancyGuardTransient {
    /// @inheritdoc IRootChain
    function depositETH(address owner) external payable {
        if (owner == address(0)) revert RootChain_ZeroOwner();
        if (msg.value == 0) revert RootChain_ZeroDeposit();
        _deposit(owner, address(0), msg.value);
    }

    /// @inheritdoc IRootChain
    /// @dev nonReentrant: a token that re-enters from transferFrom would otherwise make the
    ///      outer call credit the inner deposit's tokens a second time (balance delta).
    function depositToken(address owner, address token, uint256 amount) external nonReentrant {
        if (owner == address(0)) revert RootChain_ZeroOwner();
        if (token == address(0)) revert RootChain_ZeroToken();
        if (amount == 0) revert RootChain_ZeroDeposit();
        uint256 before = IERC20(token).balanceOf(address(this));
        if (!SafeERC20.trySafeTransferFrom(IERC20(token), msg.sender, address(this), amount)) {
            revert RootChain_TransferFailed(token);
        }
        uint256 credited = IERC20(token).balanceOf(address(this)) - before;
        if (credited == 0) revert RootChain_ZeroDeposit();
        _deposit(owner, token, credited);
    }

    function _deposit(address owner, address token, uint256 amount) private {
        (uint256 blknum, bytes32 root) = _recordDepositBlock(owner, token, amount);
        emit DepositCreated(owner, token, blknum, amount, root, block.timestamp);
    }
}
