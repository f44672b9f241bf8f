import type { Kysely } from 'kysely';
import type { DeviceRow, Tables } from './tables.ts';

/** Where a page of ListDevices resumes: after this device, in creation order. */
export interface DevicePageCursor {
  createdAt: number;
  deviceKey: string;
}

/** A user's devices (remembered-device tracking): keys issued at sign-in, confirmed ones with their sealed SRP verifier. */
export class DeviceStore {
  constructor(protected readonly db: Kysely<Tables>) {}

  /** Records a device key just handed out in NewDeviceMetadata, so only this user can confirm it. */
  async insertPending(row: Pick<DeviceRow, 'device_key' | 'sub' | 'pool_id' | 'group_key' | 'last_ip' | 'created_at'>): Promise<void> {
    await this.db
      .insertInto('devices')
      .values({
        ...row,
        status: 'pending',
        name: null,
        salt: null,
        verifier_sealed: null,
        updated_at: row.created_at,
        confirmed_at: null,
        last_authenticated_at: null,
      })
      .execute();
  }

  /** Drops keys issued to the user before `before` that were never confirmed: clients that ignore NewDeviceMetadata would pile them up. */
  async dropStalePending(sub: string, before: number): Promise<void> {
    await this.db.deleteFrom('devices').where('sub', '=', sub).where('status', '=', 'pending').where('created_at', '<', before).execute();
  }

  /** The user's device with this key, pending or confirmed; null for another user's key. */
  async find(sub: string, deviceKey: string): Promise<DeviceRow | null> {
    return (await this.db.selectFrom('devices').selectAll().where('device_key', '=', deviceKey).where('sub', '=', sub).executeTakeFirst()) ?? null;
  }

  /** ConfirmDevice: only a pending key becomes a device (true), once. */
  async confirm(
    sub: string,
    deviceKey: string,
    values: Pick<DeviceRow, 'status' | 'name' | 'salt' | 'verifier_sealed' | 'last_ip'>,
    now: number,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('devices')
      .set({ ...values, confirmed_at: now, updated_at: now, last_authenticated_at: now })
      .where('device_key', '=', deviceKey)
      .where('sub', '=', sub)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** UpdateDeviceStatus on a confirmed device; false when there is none. */
  async setStatus(sub: string, deviceKey: string, status: 'remembered' | 'not_remembered', now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('devices')
      .set({ status, updated_at: now })
      .where('device_key', '=', deviceKey)
      .where('sub', '=', sub)
      .where('status', '!=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** A sign-in through the device's own SRP proof. */
  async authenticated(deviceKey: string, ip: string, now: number): Promise<void> {
    await this.db.updateTable('devices').set({ last_authenticated_at: now, last_ip: ip }).where('device_key', '=', deviceKey).execute();
  }

  /** ForgetDevice: true when a confirmed device of the user was removed. */
  async forget(sub: string, deviceKey: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('devices')
      .where('device_key', '=', deviceKey)
      .where('sub', '=', sub)
      .where('status', '!=', 'pending')
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** Up to `limit` confirmed devices of the user in creation order, after `cursor`. */
  async list(sub: string, limit: number, cursor: DevicePageCursor | null): Promise<DeviceRow[]> {
    let q = this.db.selectFrom('devices').selectAll().where('sub', '=', sub).where('status', '!=', 'pending');
    if (cursor) {
      const { createdAt, deviceKey } = cursor;
      q = q.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('device_key', '>', deviceKey)])]));
    }
    return q.orderBy('created_at').orderBy('device_key').limit(limit).execute();
  }
}
