import type { Linter } from 'eslint';

export declare const schemaRules: Linter.RulesRecord;
export declare function schemaLintConfig(schemaFile: string): Linter.Config[];
declare const config: Linter.Config[];
export default config;
