import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID } from '@continuum/data';
import { createJourneyTestKit, undeclaredSteps, type JourneyTestKit } from '@continuum/testing';
import * as journeys from './test-support/send-time-journeys';
import { bestTimeNudge } from './test-support/send-time-journeys';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const ZONE = 'Asia/Tokyo'; // no daylight saving: hours relative to now stay put
const hh = (hour: number) => `${String(((hour % 24) + 24) % 24).padStart(2, '0')}:00`;
const local = (at: Date | number, timeZone = ZONE) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

// journey.delayUntilBestTime for real: time-skipping Temporal, the worker's activities over engagement
// seeded in PostgreSQL, the Twilio emulator. Hours are relative to the test server's clock at start.
describe('journey.delayUntilBestTime', () => {
  let kit: JourneyTestKit;
  /** The current top of the hour (UTC and Tokyo alike) and its hour in Tokyo: see `clock`. */
  let top: number;
  let h0: number;
  /** Quiet hours begin at this hour, Tokyo time, and last two hours. */
  let quietFrom: number;
  /** Reads the test server's clock: time skips between tests (a finished instance's server can jump years). */
  const clock = async () => {
    const now = await kit.now();
    top = now - (now % HOUR);
    h0 = Number(local(top).slice(0, 2));
  };
  beforeAll(async () => {
    quietFrom = (Number(local(Date.now()).slice(0, 2)) + 8) % 24;
    kit = await createJourneyTestKit({
      workflowsPath: join(__dirname, 'test-support/send-time-journeys.ts'),
      journeysModule: journeys,
      // Quiet for two hours from eight hours after the start, Tokyo time (the customers' own zone).
      settings: { QUIET_HOURS: { default: { start: hh(quietFrom), end: hh(quietFrom + 2) }, regions: {} }, QUIET_HOURS_MODE: 'queue', WORKSPACE_TIME_ZONE: 'UTC' },
    });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  /** Replies on SMS at `hoursAhead` past the current hour, local time, on each of the last `days` days. */
  const replied = async (customer: string, hoursAhead: number, days: number) => {
    for (let day = 1; day <= days; day++) {
      const at = new Date(top + hoursAhead * HOUR - day * DAY + 10 * 60 * 1000);
      await kit.bed.dataSource.query(
        `INSERT INTO events (workspace_id, message_id, user_id, type, name, properties, timestamp, received_at) VALUES ($1, $2, $3, 'track', 'Message Received', '{"channel": "sms"}', $4, $4)`,
        [DEFAULT_WORKSPACE_ID, randomUUID(), customer, at],
      );
    }
  };

  it("sends at the customer's own best hour, journaling why, and replays", async () => {
    await clock();
    // Five hours ahead is outside quiet hours unless time has jumped into them.
    const ahead = [5, 4, 3, 2, 1].find((hours) => ((h0 + hours - quietFrom + 24) % 24) >= 2)!;
    await kit.identify('bt-ana', { phone: '+14155550701', timezone: ZONE });
    await replied('bt-ana', ahead, 6);
    await kit.run(async () => {
      const instance = await kit.enter(bestTimeNudge, 'bt-ana', 'Nudge Due');
      const result = await instance.result();
      expect(result).toMatchObject({ status: 'completed', context: {} });
      const journal = await instance.journal();
      const started = journal.find((line) => line.type === 'wait.started')!;
      expect(started.step).toBe('best-time');
      expect(started.detail).toMatchObject({
        kind: 'best-time',
        channel: 'sms',
        within: '1 day',
        source: 'personal',
        hour: (h0 + ahead) % 24,
        bestHour: (h0 + ahead) % 24,
        timeZone: ZONE,
        evidence: 6,
        quietHours: 'clear',
        reason: `best hour ${hh(h0 + ahead)} in ${ZONE} from their own 6 engagements`,
        until: new Date(top + ahead * HOUR).toISOString(),
      });
      const sent = journal.find((line) => line.type === 'message.sent')!;
      expect(local(sent.at)).toBe(hh(h0 + ahead));
      expect(sent.at.getTime() - (top + ahead * HOUR)).toBeLessThan(60_000);
      expect(undeclaredSteps(bestTimeNudge, journal)).toEqual([]);
      await expect(kit.replay(await instance.handle.fetchHistory())).resolves.toBeUndefined();
    });
    expect(kit.messagesTo('+14155550701')).toHaveLength(1);
  });

  it('moves a best hour in quiet hours to their end, which the send then does not hold', async () => {
    await clock();
    // Their replies come in the second quiet hour; its neighbour after quiet hours is the best open hour.
    await kit.identify('bt-owl', { phone: '+14155550702', timezone: ZONE });
    await replied('bt-owl', (quietFrom + 1 - h0 + 24) % 24, 6);
    await kit.run(async () => {
      const instance = await kit.enter(bestTimeNudge, 'bt-owl', 'Nudge Due');
      await instance.result();
      const journal = await instance.journal();
      expect(journal.find((line) => line.type === 'wait.started')!.detail).toMatchObject({
        source: 'personal',
        bestHour: (quietFrom + 1) % 24,
        hour: (quietFrom + 2) % 24,
        quietHours: 'avoided',
      });
      expect(journal.some((line) => line.type === 'send.held')).toBe(false);
      expect(local(journal.find((line) => line.type === 'message.sent')!.at).slice(0, 2)).toBe(hh(quietFrom + 2).slice(0, 2));
    });
  });

  it('fails an instance whose options are wrong, naming the step and the option', async () => {
    await kit.run(async () => {
      const tooLong = await kit.enter(bestTimeNudge, 'bt-bad', 'Nudge Due', { within: '8 days' });
      await expect(tooLong.result()).rejects.toMatchObject({ cause: { message: 'delayUntilBestTime best-time: within must be at most 7 days, got "8 days"' } });
    });
  });
});
