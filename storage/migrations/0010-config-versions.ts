import type { Migration } from '../migrations.js';

/**
 * The rules workbench's history: every version of an editable config file that was applied or
 * rolled back to from the console (and the file as first found, so the original can be restored),
 * with who, when, why and the diff against the version before.
 */
export const configVersions: Migration = {
  name: '0010-config-versions',
  async up(db) {
    await db.schema.createTable('config_versions', (t) => {
      t.increments('id').primary();
      t.string('file', 64).notNullable();
      t.text('content').notNullable();
      t.string('sha256', 64).notNullable();
      /** apply | rollback | baseline */
      t.string('kind', 16).notNullable();
      t.string('actor', 200).notNullable();
      t.text('reason').notNullable();
      t.text('diff').notNullable();
      t.bigInteger('created_at').notNullable();
      t.index(['file', 'id'], 'config_versions_file_index');
    });
  },
  async down(db) {
    await db.schema.dropTable('config_versions');
  },
};
