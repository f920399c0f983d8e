use clap::Parser;

#[tokio::main]
async fn main() {
    let cli = rapport::cli::Cli::parse();
    if let Err(e) = rapport::cli::run(cli).await {
        rapport::cli::flush();
        eprintln!("rapport: {e:#}");
        std::process::exit(1);
    }
}
