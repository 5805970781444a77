<?php

use Illuminate\Support\Str;

return [

    /*
    |--------------------------------------------------------------------------
    | Default Database Connection Name
    |--------------------------------------------------------------------------
    |
    | The default connection is the accounts database (users, organizations,
    | seats). Subscription data lives in its own MySQL database,
    | on the second connection defined below; models opt in with
    | `protected $connection`.
    |
    */

    'default' => env('DB_CONNECTION', 'mysql'),

    'connections' => [

        'mysql' => [
            'driver' => 'mysql',
            'url' => env('DATABASE_URL'),
            'host' => env('DB_HOST', '127.0.0.1'),
            'port' => env('DB_PORT', '3306'),
            'database' => env('DB_DATABASE', 'accounts'),
            'username' => env('DB_USERNAME', 'forge'),
            'password' => env('DB_PASSWORD', ''),
            'unix_socket' => env('DB_SOCKET', ''),
            'charset' => 'utf8mb4',
            'collation' => 'utf8mb4_unicode_ci',
            'prefix' => '',
            'prefix_indexes' => true,
            'strict' => true,
            'engine' => null,
            'options' => extension_loaded('pdo_mysql') ? array_filter([
                PDO::MYSQL_ATTR_SSL_CA => env('MYSQL_ATTR_SSL_CA'),
            ]) : [],
        ],

        // billing_subscriptions (RDS subs-mysql-prod-01). Its migrations live in their
        // own folder: run them with `make migrate-subs`, never a plain `php artisan migrate`.
        'subscriptions' => [
            'driver' => 'mysql',
            'host' => env('BILLING_SUBSCRIPTIONS_DB_HOST', '127.0.0.1'),
            'port' => '3306',
            'database' => env('BILLING_SUBSCRIPTIONS_DB_DATABASE', 'billing_subscriptions'),
            'username' => 'subs_app',
            'password' => env('BILLING_SUBSCRIPTIONS_DB_PASSWORD', ''),
            'charset' => 'utf8mb4',
            'collation' => 'utf8mb4_unicode_ci',
            'prefix' => '',
            'strict' => true,
            'engine' => 'InnoDB',
            'options' => [
                PDO::ATTR_TIMEOUT => 5,
            ],
        ],

        // Read-only, pre-2022 subscription rows. Owned by data-eng (SUBS-205).
        'subscriptions_archive' => [
            'driver' => 'mysql',
            'url' => env('BILLING_SUBSCRIPTIONS_ARCHIVE_DATABASE_URL'),
            'charset' => 'utf8mb4',
            'collation' => 'utf8mb4_unicode_ci',
            'prefix' => '',
        ],

    ],

    'migrations' => 'migrations',

    'redis' => [

        'client' => env('REDIS_CLIENT', 'phpredis'),

        'options' => [
            'cluster' => env('REDIS_CLUSTER', 'redis'),
            'prefix' => env('REDIS_PREFIX', Str::slug(env('APP_NAME', 'laravel'), '_').'_database_'),
        ],

        'default' => [
            'host' => env('REDIS_HOST', '127.0.0.1'),
            'password' => env('REDIS_PASSWORD'),
            'port' => env('REDIS_PORT', '6379'),
            'database' => env('REDIS_DB', '0'),
        ],

    ],

];
