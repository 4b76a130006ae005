#include "cli/cli.hpp"

int main(int argc, char** argv) { return oploop::cli::run(argc, argv); }
