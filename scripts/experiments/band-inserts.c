// What SQLite itself costs for the ledger's key flushes, without newsd around it: N articles' 33 random keys
// each (32 bands and the id), written every 4,096 articles in one transaction, sorted, a hundred rows a
// statement, as `Ledger.flushKeys` writes them (page size 16 KiB, WAL, synchronous=NORMAL). Prints the CPU
// time per row and per article.
//
//   mode 0: into one table, `band (key, article) PRIMARY KEY (key, article) WITHOUT ROWID` (what the ledger does)
//   mode 1: into a rowid table, key and article packed into the rowid (a B-tree of integer keys)
//   mode 2: each flush into a table of its own (every insert appends)
//
//   gcc -O2 -o /tmp/band-inserts scripts/experiments/band-inserts.c -lsqlite3   (Debian: libsqlite3-dev)
//   /tmp/band-inserts MODE ARTICLES /dev/shm/band-inserts.db   (remove the file before each run)
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t state = 88172645463325252ull;
static uint64_t next_random(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}
static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}
typedef struct { int64_t key, article; } Row;
static int by_key(const void *a, const void *b) {
    const Row *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->article > y->article) - (x->article < y->article);
}
static int by_value(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static sqlite3_stmt *prepare_insert(sqlite3 *db, const char *table, int packed) {
    char sql[4096];
    snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO %s %s VALUES ", table, packed ? "(k)" : "(key, article)");
    for (int i = 0; i < 100; i++) strcat(sql, packed ? (i ? ",(?)" : "(?)") : (i ? ",(?,?)" : "(?,?)"));
    sqlite3_stmt *statement;
    sqlite3_prepare_v2(db, sql, -1, &statement, 0);
    return statement;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s MODE ARTICLES DATABASE\n", argv[0]);
        return 2;
    }
    const int mode = atoi(argv[1]), articles = atoi(argv[2]), flush = 4096, keys = 33;
    sqlite3 *db;
    sqlite3_open(argv[3], &db);
    sqlite3_exec(db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8192", 0, 0, 0);
    const char *pair = "(key INTEGER NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (key, article)) WITHOUT ROWID";
    char sql[256];
    if (mode == 0) snprintf(sql, sizeof sql, "CREATE TABLE band %s", pair);
    if (mode == 1) snprintf(sql, sizeof sql, "CREATE TABLE band (k INTEGER PRIMARY KEY)");
    if (mode != 2) sqlite3_exec(db, sql, 0, 0, 0);
    sqlite3_stmt *insert = mode == 2 ? 0 : prepare_insert(db, "band", mode == 1);
    Row *rows = malloc(sizeof(Row) * flush * keys);
    int64_t *packed = malloc(sizeof(int64_t) * flush * keys);
    long written = 0;
    const double start = cpu_seconds();
    for (int first = 0; first < articles; first += flush) {
        int count = 0;
        for (int article = first; article < first + flush && article < articles; article++) {
            for (int k = 0; k < keys; k++) rows[count++] = (Row){(int64_t)next_random(), article + 1};
        }
        if (mode == 1) {
            for (int i = 0; i < count; i++) packed[i] = (int64_t)(((uint64_t)rows[i].key & ~0xFFFFFFFull) | (uint64_t)rows[i].article);
            qsort(packed, count, sizeof(int64_t), by_value);
        } else {
            qsort(rows, count, sizeof(Row), by_key);
        }
        sqlite3_exec(db, "BEGIN", 0, 0, 0);
        if (mode == 2) {
            char table[32];
            snprintf(table, sizeof table, "band%d", first);
            snprintf(sql, sizeof sql, "CREATE TABLE %s %s", table, pair);
            sqlite3_exec(db, sql, 0, 0, 0);
            if (insert) sqlite3_finalize(insert);
            insert = prepare_insert(db, table, 0);
        }
        for (int i = 0; i + 100 <= count; i += 100) {
            for (int j = 0; j < 100; j++) {
                if (mode == 1) {
                    sqlite3_bind_int64(insert, j + 1, packed[i + j]);
                } else {
                    sqlite3_bind_int64(insert, 2 * j + 1, rows[i + j].key);
                    sqlite3_bind_int64(insert, 2 * j + 2, rows[i + j].article);
                }
            }
            sqlite3_step(insert);
            sqlite3_reset(insert);
            written += 100;
        }
        sqlite3_exec(db, "COMMIT", 0, 0, 0);
    }
    const double seconds = cpu_seconds() - start;
    printf("mode %d: %ld rows, %.3f s CPU, %.3f us a row, %.2f us an article\n", mode, written, seconds,
        seconds / written * 1e6, seconds / articles * 1e6);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return 0;
}
