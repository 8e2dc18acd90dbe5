import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One customer of a workspace: merged traits plus the identities messaging needs. */
@Entity({ name: 'profiles' })
export class ProfileEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  traits!: Record<string, unknown>;

  /** E.164, normalised from the `phone` trait. */
  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  /** IANA time zone (from the `timezone` trait or the event context), used by messaging rules. */
  @Column({ type: 'text', nullable: true })
  timezone!: string | null;

  /** BCP 47 locale, e.g. `pt-BR` (the `locale` trait or the event context). */
  @Column({ type: 'text', nullable: true })
  locale!: string | null;

  /** ISO 3166-1 alpha-2 country, upper case (the `country` trait or `address.country`). */
  @Column({ type: 'text', nullable: true })
  country!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
