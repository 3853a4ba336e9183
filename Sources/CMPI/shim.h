#include <mpi.h>

/* Open MPI's handles are macros over addresses of global objects (MPI_COMM_WORLD is
   ((MPI_Comm)&ompi_mpi_comm_world)), which Swift cannot import: these accessors hand them over. */
static inline MPI_Comm fmevolve_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype fmevolve_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype fmevolve_mpi_long_long(void) { return MPI_LONG_LONG; }
static inline MPI_Datatype fmevolve_mpi_int32(void) { return MPI_INT32_T; }
static inline int fmevolve_mpi_success(void) { return MPI_SUCCESS; }
