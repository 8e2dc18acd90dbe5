// The few jStat functions the experiment statistics tests use as an independent reference.
declare module 'jstat' {
  interface JStatStatic {
    chisquare: { cdf(x: number, dof: number): number };
    normal: { inv(p: number, mean: number, sd: number): number; cdf(x: number, mean: number, sd: number): number };
  }
  const jStat: JStatStatic;
  export default jStat;
}
