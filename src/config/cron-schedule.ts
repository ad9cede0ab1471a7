import cron from 'node-cron';

const FIELDS = 'minute hour day-of-month month weekday';
const EXAMPLES = '"0 9 * * *" (09:00 every day), "0 9 * * 1" (Mondays 09:00), "30 8 * * 1-5" (08:30 on weekdays)';

/**
 * What is wrong with a digest's cron schedule, as the rest of the sentence after its path, or null
 * when it is a valid five-field expression. koe takes exactly five fields: node-cron would read a
 * sixth as seconds at the front, so `"0 9 * * 1-5 *"` would fire at second 0 of minute 9 of every
 * hour, January to May. Each refusal carries an expression that would do what was likely meant.
 */
export function cronScheduleProblem(schedule: string): string | null {
  const fields = schedule.trim().split(/\s+/);
  const clock = /^(\d{1,2}):(\d{2})$/.exec(schedule.trim());
  if (clock && Number(clock[1]) < 24 && Number(clock[2]) < 60) {
    const [h, m] = [Number(clock[1]), Number(clock[2])];
    return `"${schedule}" is a time, not a cron expression; for ${clock[1]!.padStart(2, '0')}:${clock[2]} every day write "${m} ${h} * * *" (five fields: ${FIELDS})`;
  }
  if (fields.length === 6) {
    // A trailing * reads as "five fields and one too many"; anything else as seconds written first.
    const five = (fields[5] === '*' || fields[5] === '?' ? fields.slice(0, 5) : fields.slice(1)).join(' ');
    const hint = cron.validate(five) ? `; did you mean "${five}"?` : `, e.g. ${EXAMPLES}`;
    return `"${schedule}" has six fields; koe takes five (${FIELDS}) because a sixth would be read as seconds${hint}`;
  }
  if (fields.length !== 5) {
    return `"${schedule}" has ${fields.length} field${fields.length === 1 ? '' : 's'}; koe takes five (${FIELDS}), e.g. ${EXAMPLES}`;
  }
  if (!cron.validate(schedule)) {
    return `"${schedule}" is not a valid cron expression (${FIELDS}), e.g. ${EXAMPLES}`;
  }
  return null;
}
