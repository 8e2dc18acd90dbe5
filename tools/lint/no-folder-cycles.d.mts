import type { ESLint, Rule } from 'eslint';

export declare const noFolderCycles: Rule.RuleModule;
export declare const continuumLintPlugin: ESLint.Plugin;
