namespace Mta.Config;

// TLS library settings shared by the server and the clients.
// Default texts are Postfix 3.11's `postconf -d` (see ParameterCatalogue.cs for how they were obtained).
public static partial class ParameterCatalogue
{
    public static readonly BoolParameter TlsAppendDefaultCA = new("tls_append_default_CA", "no");
    public static readonly StringParameter TlsConfigFile = new("tls_config_file", "default");
    public static readonly StringParameter TlsConfigName = new("tls_config_name", "");
    public static readonly IntParameter TlsDaemonRandomBytes = new("tls_daemon_random_bytes", "32", Min: 1);
    public static readonly ListParameter TlsDaneDigests = new("tls_dane_digests", "sha512 sha256");
    public static readonly StringParameter TlsDisableWorkarounds = new("tls_disable_workarounds", "");
    public static readonly StringParameter TlsEecdhAutoCurves = new("tls_eecdh_auto_curves", "X25519 X448 prime256v1 secp384r1 secp521r1");
    public static readonly StringParameter TlsEecdhStrongCurve = new("tls_eecdh_strong_curve", "prime256v1");
    public static readonly StringParameter TlsEecdhUltraCurve = new("tls_eecdh_ultra_curve", "secp384r1");
    public static readonly StringParameter TlsExportCipherlist = new("tls_export_cipherlist", "");
    public static readonly BoolParameter TlsFastShutdownEnable = new("tls_fast_shutdown_enable", "yes");
    public static readonly ListParameter TlsFfdheAutoGroups = new("tls_ffdhe_auto_groups", "ffdhe2048 ffdhe3072");
    public static readonly StringParameter TlsHighCipherlist = new("tls_high_cipherlist", "aNULL:-aNULL:HIGH:!SEED:!IDEA:!3DES:!RC2:!RC4:!RC5:!kDH:!kECDH:!aDSS:!MD5:@STRENGTH");
    public static readonly StringParameter TlsLowCipherlist = new("tls_low_cipherlist", "");
    public static readonly StringParameter TlsMediumCipherlist = new("tls_medium_cipherlist", "aNULL:-aNULL:HIGH:MEDIUM:!SEED:!IDEA:!3DES:!RC2:!RC4:!RC5:!kDH:!kECDH:!aDSS:!MD5:+RC4:@STRENGTH");
    public static readonly StringParameter TlsNullCipherlist = new("tls_null_cipherlist", "eNULL:!kDH:!kECDH:!aDSS:!MD5:!aNULL");
    public static readonly BoolParameter TlsPreemptCipherlist = new("tls_preempt_cipherlist", "no");
    public static readonly IntParameter TlsRandomBytes = new("tls_random_bytes", "32", Min: 1);
    public static readonly StringParameter TlsRandomExchangeName = new("tls_random_exchange_name", "${data_directory}/prng_exch");
    public static readonly TimeParameter TlsRandomPrngUpdatePeriod = new("tls_random_prng_update_period", "3600s", DefaultUnit: 's', MinSeconds: 1);
    public static readonly TimeParameter TlsRandomReseedPeriod = new("tls_random_reseed_period", "3600s", DefaultUnit: 's', MinSeconds: 1);
    public static readonly StringParameter TlsRandomSource = new("tls_random_source", "dev:/dev/urandom");
    public static readonly BoolParameter TlsRequiredEnable = new("tls_required_enable", "yes");
    public static readonly ListParameter TlsServerSniMaps = new("tls_server_sni_maps", "");
    public static readonly StringParameter TlsSessionTicketCipher = new("tls_session_ticket_cipher", "aes-256-cbc");
    public static readonly ListParameter TlsSslOptions = new("tls_ssl_options", "");
    public static readonly BoolParameter TlsWildcardMatchesMultipleLabels = new("tls_wildcard_matches_multiple_labels", "yes");
    public static readonly StringParameter TlsmgrServiceName = new("tlsmgr_service_name", "tlsmgr");
}
